/** What this module copy has already found on globalThis (a name's instance never changes once made). */
const found = new Map<string, unknown>();

/**
 * One instance per process of something `create` makes, under `name` on globalThis. server.ts and the Next route
 * bundles load separate copies of the same modules; state they must share (caches, locks, sockets, the database)
 * lives here so every copy finds the same instance. Hot paths call this per request: the lookup is remembered per copy.
 */
export function singleton<T>(name: string, create: () => T): T {
  if (found.has(name)) return found.get(name) as T;
  const store = globalThis as unknown as Record<symbol, unknown>;
  const key = Symbol.for(`slipway.${name}`);
  if (!(key in store)) store[key] = create();
  found.set(name, store[key]);
  return store[key] as T;
}
