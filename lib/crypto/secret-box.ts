import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "@/lib/env";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * A 256-bit key for one purpose, derived with HKDF-SHA256 from INTEGRATIONS_KEY when set, else from
 * AUTH_SECRET. The purpose label keeps keys for different uses independent of each other and of the
 * session-signing use of AUTH_SECRET.
 */
export function derivedKey(purpose: string): Buffer {
  const { INTEGRATIONS_KEY, AUTH_SECRET } = env();
  const ikm = INTEGRATIONS_KEY ?? AUTH_SECRET;
  return Buffer.from(hkdfSync("sha256", ikm, "slipway", `slipway:${purpose}`, 32));
}

/**
 * AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>` (base64url). `context` is authenticated but not stored,
 * so a ciphertext copied to another row (another user or provider) fails to decrypt.
 */
export function seal(plaintext: string, { purpose, context }: { purpose: string; context: string }): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", derivedKey(purpose), iv);
  cipher.setAAD(Buffer.from(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), ciphertext].map((p) => (typeof p === "string" ? p : p.toString("base64url"))).join(".");
}

export class SealError extends Error {}

export function open(sealed: string, { purpose, context }: { purpose: string; context: string }): string {
  const [version, iv, tag, ciphertext] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new SealError("unknown sealed format");
  try {
    const decipher = createDecipheriv("aes-256-gcm", derivedKey(purpose), Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SealError("cannot decrypt (wrong key or tampered data)");
  }
}
