import { singleton } from "@/lib/shared/singleton";

// One mutation at a time per project, so a version check and the write it guards are atomic.
// One per process: server.ts (agent tools) and the route bundles load separate copies of this module.
const locks = () => singleton("projectLocks", () => new Map<string, Promise<unknown>>());

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
