/**
 * One instance per process of something `create` makes, under `name` on globalThis. server.ts and the Next route
 * bundles load separate copies of the same modules; state they must share (caches, locks, sockets, the database)
 * lives here so every copy finds the same instance.
 */
export function singleton<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as Record<symbol, unknown>;
  const key = Symbol.for(`slipway.${name}`);
  if (!(key in store)) store[key] = create();
  return store[key] as T;
}
