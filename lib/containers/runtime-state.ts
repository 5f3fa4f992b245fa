import { singleton } from "@/lib/shared/singleton";

/**
 * What this process knows about project containers beyond `docker inspect`: whether the dev server has
 * answered (ready), why a start failed, and the last preview/chat activity (idle stop). Kept on
 * one instance per process (lib/shared/singleton.ts): server.ts and the Next route bundles load separate copies of these modules.
 */
export interface ContainerMemo {
  containerId?: string;
  phase: "starting" | "ready" | "crashed";
  hostPort?: number;
  /** The dev server at its container's bridge address, when Slipway reaches it there (see findBridgeAddress). */
  bridge?: { host: string; port: number };
  lastError?: string;
  /** After a crash: whether a project file changed since (then a preview request may restart it). */
  filesChangedSinceCrash?: boolean;
  /** Resolves when the current readiness wait ends. */
  readiness?: Promise<void>;
}

interface Shared {
  memo: Map<string, ContainerMemo>;
  locks: Map<string, Promise<unknown>>;
  activity: Map<string, number>;
  /**
   * Projects made by this process whose container never started: their tree was handed to the container user at
   * creation and no container of theirs can exist, so the first start skips that walk and the engine lookups.
   */
  freshProjects: Set<string>;
  sweeper?: NodeJS.Timeout;
}

export function shared(): Shared {
  return singleton("containers", (): Shared => ({ memo: new Map(), locks: new Map(), activity: new Map(), freshProjects: new Set() }));
}

/** Runs `fn` after every earlier call for the same project finished (starts/stops never interleave). */
export function withProjectLock<T>(projectId: string, fn: () => Promise<T>): Promise<T> {
  const { locks } = shared();
  const previous = locks.get(projectId) ?? Promise.resolve();
  const next = previous.then(fn, fn);
  const settled = next.catch(() => undefined);
  locks.set(projectId, settled);
  void settled.then(() => {
    if (locks.get(projectId) === settled) locks.delete(projectId);
  });
  return next;
}

/** Whether a start, stop or removal of the project's container is in progress (it records the outcome itself). */
export function projectLocked(projectId: string): boolean {
  return shared().locks.has(projectId);
}

/** Marks preview traffic or chat activity: the idle sweeper leaves the container running. */
export function touchProject(projectId: string) {
  shared().activity.set(projectId, Date.now());
}
