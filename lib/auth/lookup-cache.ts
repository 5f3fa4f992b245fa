import type { Account } from "@/prisma-free-db/queries/accounts";
import type { ApiToken } from "@/prisma-free-db/queries/api-tokens";
import type { User } from "@/prisma-free-db/queries/users";
import { singleton } from "@/lib/shared/singleton";

/**
 * A short-lived cache of the lookups every authenticated request makes (API key by hash, user by id) and of a
 * user's identities (GET /api/v1/me): each is a DuckDB point query on the hot path. Revoking a key or changing a
 * user (or their identities) invalidates at once; a generation counter keeps a lookup that started before an
 * invalidation from being stored. One per process, so server.ts and Next's route bundles share it.
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
}

const caches = (): Caches => singleton("authCache", (): Caches => ({ generation: 0, keys: new Map(), users: new Map(), identities: new Map() }));

async function cached<T>(map: Map<string, Entry<T>>, key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
  const hit = map.get(key);
  if (hit && hit.expires > Date.now()) return hit.value;
  const generation = caches().generation;
  const value = await load();
  // Only positive answers are kept, so unknown or revoked keys always reach the database.
  if (value !== undefined && generation === caches().generation) {
    if (map.size >= MAX_ENTRIES) map.clear();
    map.set(key, { value, expires: Date.now() + TTL_MS });
  }
  return value;
}

export const cachedApiKey = (tokenHash: string, load: () => Promise<ApiToken | undefined>) => cached(caches().keys, tokenHash, load);
export const cachedUser = (userId: string, load: () => Promise<User | undefined>) => cached(caches().users, userId, load);
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
