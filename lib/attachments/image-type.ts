import { imageSize } from "image-size";

/** The image types a chat message may carry: what vision models read. SVG is not one (it is a document with scripts). */
export const ATTACHMENT_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
export type AttachmentMime = (typeof ATTACHMENT_TYPES)[number];

const startsWith = (bytes: Uint8Array, signature: number[], at = 0) => signature.every((b, i) => bytes[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** The type the bytes are, by their magic numbers; the file name and the declared type are not trusted. */
export function sniffImageType(bytes: Uint8Array): AttachmentMime | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, ascii("RIFF")) && startsWith(bytes, ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(bytes, ascii("GIF87a")) || startsWith(bytes, ascii("GIF89a"))) return "image/gif";
  return null;
}

const sizeTypes: Record<AttachmentMime, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif" };

/**
 * Type and pixel size of an image, or null when the bytes are not a png/jpeg/webp/gif whose header parses
 * (a text file named x.png, a truncated image). image-size reads only the headers, in plain JavaScript.
 */
export function inspectImage(bytes: Uint8Array): { mime: AttachmentMime; width: number; height: number } | null {
  const mime = sniffImageType(bytes);
  if (!mime) return null;
  try {
    const size = imageSize(bytes);
    if (size.type !== sizeTypes[mime] || !size.width || !size.height) return null;
    return { mime, width: size.width, height: size.height };
  } catch {
    return null;
  }
}

export const extensionOf = (mime: AttachmentMime) => sizeTypes[mime];
