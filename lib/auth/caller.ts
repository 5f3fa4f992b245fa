import { getToken } from "next-auth/jwt";
import { env } from "@/lib/env";
import { getDb } from "@/prisma-free-db/client";
import { getUserById, type User } from "@/prisma-free-db/queries/users";
import { verifyApiKey } from "./api-keys";
import { cachedUser } from "./lookup-cache";

export interface Caller {
  user: User;
  via: "session" | "api_key";
  apiKeyId?: string;
}

export type CallerResult = { caller: Caller } | { caller: null; reason: "none" | "invalid_token" };

/**
 * The one identity resolution for pages, route handlers and WebSocket upgrades:
 * `Authorization: Bearer <api key>` first, else the next-auth session cookie.
 */
export async function resolveCaller(headers: Headers): Promise<CallerResult> {
  const db = await getDb();
  const authorization = headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const key = match?.[1] ? await verifyApiKey(db, match[1]) : undefined;
    const user = key && (await cachedUser(key.user_id, () => getUserById(db, { id: key.user_id })));
    return user && key ? { caller: { user, via: "api_key", apiKeyId: key.id } } : { caller: null, reason: "invalid_token" };
  }
  if (!headers.get("cookie")) return { caller: null, reason: "none" };
  const e = env();
  const token = await getToken({
    req: { headers },
    secret: e.AUTH_SECRET,
    secureCookie: e.WEB_URL.startsWith("https://"),
  });
  const uid = token && typeof token.uid === "string" ? token.uid : undefined;
  const user = uid ? await cachedUser(uid, () => getUserById(db, { id: uid })) : undefined;
  return user ? { caller: { user, via: "session" } } : { caller: null, reason: "none" };
}
