import sharp from "sharp";

export type ImageFormat = "png" | "jpeg" | "webp" | "gif";
export const mimeOf = (format: ImageFormat) => `image/${format}`;

/**
 * A real image of the given size, encoded by libvips (sharp). `noise` fills it with random pixels, so it does not
 * compress: a way to get an image over a byte limit.
 */
export async function makeImage(format: ImageFormat, width = 3, height = 2, opts: { noise?: boolean } = {}): Promise<Uint8Array> {
  const create = {
    width,
    height,
    channels: 3 as const,
    background: { r: 200, g: 40, b: 90 },
    ...(opts.noise ? { noise: { type: "gaussian" as const, mean: 128, sigma: 60 } } : {}),
  };
  return new Uint8Array(await sharp({ create })[format]().toBuffer());
}

/** A multipart body with one `file` part. */
export function imageForm(bytes: Uint8Array | string, name: string, type: string, field = "file"): FormData {
  const form = new FormData();
  form.append(field, new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), name);
  return form;
}
