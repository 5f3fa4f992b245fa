import { getToken } from "next-auth/jwt";
import { env } from "@/lib/env";
import { getDb } from "@/prisma-free-db/client";
import { getUserById, type User } from "@/prisma-free-db/queries/users";
import { verifyApiKey } from "./api-keys";
import { cachedSession, cachedUser, type Session } from "./lookup-cache";

export interface Caller {
  user: User;
  via: "session" | "api_key";
  apiKeyId?: string;
}

export type CallerResult = { caller: Caller } | { caller: null; reason: "none" | "invalid_token" };

/** The next-auth session cookie's user and expiry, when the cookie holds a valid session. */
async function decodeSession(headers: Headers): Promise<Session | undefined> {
  const e = env();
  const token = await getToken({ req: { headers }, secret: e.AUTH_SECRET, secureCookie: e.WEB_URL.startsWith("https://") });
  if (!token || typeof token.uid !== "string") return undefined;
  return { userId: token.uid, expires: typeof token.exp === "number" ? token.exp * 1000 : Date.now() };
}

/**
 * The one identity resolution for pages, route handlers and WebSocket upgrades:
 * `Authorization: Bearer <api key>` first, else the next-auth session cookie.
 */
export async function resolveCaller(headers: Headers): Promise<CallerResult> {
  const authorization = headers.get("authorization");
  if (authorization) {
    const db = await getDb();
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const key = match?.[1] ? await verifyApiKey(db, match[1]) : undefined;
    const user = key && (await cachedUser(key.user_id, () => getUserById(db, { id: key.user_id })));
    return user && key ? { caller: { user, via: "api_key", apiKeyId: key.id } } : { caller: null, reason: "invalid_token" };
  }
  const cookie = headers.get("cookie");
  if (!cookie) return { caller: null, reason: "none" };
  const uid = await cachedSession(cookie, () => decodeSession(headers));
  if (!uid) return { caller: null, reason: "none" };
  const db = await getDb();
  const user = await cachedUser(uid, () => getUserById(db, { id: uid }));
  return user ? { caller: { user, via: "session" } } : { caller: null, reason: "none" };
}
