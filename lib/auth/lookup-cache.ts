import { createHash } from "node:crypto";
import type { Account } from "@/prisma-free-db/queries/accounts";
import type { ApiToken } from "@/prisma-free-db/queries/api-tokens";
import type { User } from "@/prisma-free-db/queries/users";
import { singleton } from "@/lib/shared/singleton";

/**
 * A short-lived cache of the lookups every authenticated request makes (API key by hash, user by id, session cookie
 * decoded) and of a user's identities (GET /api/v1/me): each is a DuckDB point query or, for the session, a JWE
 * decryption (~1 ms of CPU) on the hot path. Revoking a key, changing a user (or their identities) or signing out
 * invalidates at once; a generation counter keeps a lookup that started before an invalidation from being stored.
 * One per process, so server.ts and Next's route bundles share it.
 */
const TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  value: T;
  expires: number;
}

interface Caches {
  generation: number;
  keys: Map<string, Entry<ApiToken>>;
  users: Map<string, Entry<User>>;
  identities: Map<string, Entry<Account[]>>;
  sessions: Map<string, Entry<Session>>;
}

/** A decoded session cookie: whose it is, and when the token itself expires (epoch ms). */
export interface Session {
  userId: string;
  expires: number;
}

const caches = (): Caches =>
  singleton("authCache", (): Caches => ({ generation: 0, keys: new Map(), users: new Map(), identities: new Map(), sessions: new Map() }));

async function cached<T>(
  map: Map<string, Entry<T>>,
  key: string,
  load: () => Promise<T | undefined>,
  validUntil: (value: T) => number = () => Infinity,
): Promise<T | undefined> {
  const hit = map.get(key);
  if (hit && hit.expires > Date.now()) return hit.value;
  const generation = caches().generation;
  const value = await load();
  // Only positive answers are kept, so unknown or revoked keys always reach the database.
  if (value !== undefined && generation === caches().generation) {
    if (map.size >= MAX_ENTRIES) map.clear();
    map.set(key, { value, expires: Math.min(Date.now() + TTL_MS, validUntil(value)) });
  }
  return value;
}

export const cachedApiKey = (tokenHash: string, load: () => Promise<ApiToken | undefined>) => cached(caches().keys, tokenHash, load);
export const cachedUser = (userId: string, load: () => Promise<User | undefined>) => cached(caches().users, userId, load);
/** Keyed by the whole Cookie header (hashed): the same cookies always decode to the same session, never past its expiry. */
export const cachedSession = async (cookieHeader: string, load: () => Promise<Session | undefined>) =>
  (await cached(caches().sessions, createHash("sha256").update(cookieHeader).digest("hex"), load, (s) => s.expires))?.userId;
export const cachedIdentities = async (userId: string, load: () => Promise<Account[]>) => (await cached(caches().identities, userId, load)) ?? [];

/** Call after revoking a key: it stops working for the very next request. */
export function forgetApiKey(keyId: string) {
  const c = caches();
  c.generation++;
  for (const [hash, entry] of c.keys) if (entry.value.id === keyId) c.keys.delete(hash);
}

/** Call after changing a user row or the user's identities (accounts). */
export function forgetUser(userId: string) {
  const c = caches();
  c.generation++;
  c.users.delete(userId);
  c.identities.delete(userId);
}

/** Call when a user signs out: their sessions are decoded afresh (a JWT stays valid until it expires; this cache never outlives it). */
export function forgetSessions(userId: string) {
  const c = caches();
  c.generation++;
  for (const [key, entry] of c.sessions) if (entry.value.userId === userId) c.sessions.delete(key);
}
