import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Queryable } from "@/prisma-free-db/client";
import { cachedApiKey } from "./lookup-cache";
import { findActiveApiTokenByHash, insertApiToken, touchApiToken, type ApiToken } from "@/prisma-free-db/queries/api-tokens";

const PREFIX = "slw_";
const TOUCH_EVERY_MS = 60_000;
const lastTouched = new Map<string, number>();

export const hashApiKey = (secret: string) => createHash("sha256").update(secret).digest("hex");

export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(PREFIX) && /^[A-Za-z0-9_-]{20,100}$/.test(value);
}

/** Creates a key; the secret is returned once and only its hash is stored. */
export async function createApiKey(db: Queryable, { userId, name }: { userId: string; name: string }) {
  const secret = PREFIX + randomBytes(32).toString("base64url");
  const id = randomUUID();
  await insertApiToken(db, { id, userId, name, prefix: secret.slice(0, 12), tokenHash: hashApiKey(secret) });
  return { id, secret };
}

/** The active key for a presented secret, recording its use at most once a minute. */
export async function verifyApiKey(db: Queryable, secret: string): Promise<ApiToken | undefined> {
  if (!looksLikeApiKey(secret)) return undefined;
  const tokenHash = hashApiKey(secret);
  const token = await cachedApiKey(tokenHash, () => findActiveApiTokenByHash(db, { tokenHash }));
  if (token) {
    const now = Date.now();
    if (now - (lastTouched.get(token.id) ?? 0) > TOUCH_EVERY_MS) {
      lastTouched.set(token.id, now);
      void touchApiToken(db, { id: token.id }).catch(() => undefined);
    }
  }
  return token;
}
