// One mutation at a time per project, so a version check and the write it guards are atomic.
// On globalThis: server.ts (agent tools) and the route bundles load separate copies of this module.
const globalForLocks = globalThis as unknown as { slipwayProjectLocks?: Map<string, Promise<unknown>> };

function locks(): Map<string, Promise<unknown>> {
  globalForLocks.slipwayProjectLocks ??= new Map();
  return globalForLocks.slipwayProjectLocks;
}

export function withProjectLock<T>(projectId: string, work: () => Promise<T>): Promise<T> {
  const map = locks();
  const previous = map.get(projectId) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  map.set(projectId, settled);
  void settled.then(() => {
    if (map.get(projectId) === settled) map.delete(projectId);
  });
  return next;
}
