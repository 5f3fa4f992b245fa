import { getDb } from "@/prisma-free-db/client";
import { existingProjectIds } from "@/prisma-free-db/queries/containers";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { LABEL_INSTANCE, LABEL_PROJECT, LABEL_ROLE, instanceId } from "./config";
import { docker } from "./engine";
import { projectNetworkName } from "./network";
import { shared, touchProject } from "./runtime-state";
import { getContainerState, stopProject } from "./service";

const reconcileLog = log.child({ module: "containers" });

async function instanceContainers(running: boolean) {
  return docker().listContainers({
    all: !running,
    filters: { label: [`${LABEL_INSTANCE}=${instanceId()}`], ...(running ? { status: ["running"] } : {}) },
  });
}

/**
 * On server start: adopt this instance's running containers of existing projects (their readiness is
 * checked and idle timers start now) and remove containers whose project no longer exists or that are
 * not on the instance's network. Containers
 * of other Slipway instances on the same engine are never touched.
 */
export async function reconcileContainers(): Promise<{ adopted: number; removed: number }> {
  const containers = await instanceContainers(false);
  const ids = [...new Set(containers.map((c) => c.Labels[LABEL_PROJECT]).filter((id): id is string => Boolean(id)))];
  const existing = await existingProjectIds(await getDb(), { ids });
  let adopted = 0;
  let removed = 0;
  for (const c of containers) {
    const projectId = c.Labels[LABEL_PROJECT];
    // A container outside the instance's isolated network (one an older Slipway made) could reach others:
    // it is removed, and the next start makes it again on the network.
    const isolated = Object.keys(c.NetworkSettings?.Networks ?? {}).join() === projectNetworkName();
    if (!projectId || !existing.has(projectId) || c.Labels[LABEL_ROLE] === "exec" || !isolated) {
      await docker()
        .getContainer(c.Id)
        .remove({ force: true })
        .then(() => removed++)
        .catch((error: unknown) =>
          reconcileLog.warn("could not remove an orphaned container", { container: c.Id.slice(0, 12), error: (error as Error).message }),
        );
      continue;
    }
    if (c.State === "running") {
      touchProject(projectId);
      await getContainerState(projectId).catch(() => undefined); // starts the readiness watch
      adopted++;
    }
  }
  reconcileLog.info("containers reconciled", { instance: instanceId(), adopted, removed });
  return { adopted, removed };
}

/**
 * Every so often, stops running containers with no preview traffic or chat for PREVIEW_IDLE_MINUTES.
 * One timer per process.
 */
export function startIdleSweeper() {
  const state = shared();
  const idleMs = env().PREVIEW_IDLE_MINUTES * 60_000;
  if (state.sweeper || idleMs <= 0) return;
  const every = Math.min(60_000, Math.max(500, idleMs / 4));
  state.sweeper = setInterval(() => {
    void (async () => {
      const running = await instanceContainers(true).catch(() => []);
      const now = Date.now();
      for (const c of running) {
        const projectId = c.Labels[LABEL_PROJECT];
        if (!projectId || c.Labels[LABEL_ROLE] === "exec") continue;
        // A start slower than the idle limit is not idleness: the request that woke it is still waiting.
        if (state.memo.get(projectId)?.phase === "starting") continue;
        const last = state.activity.get(projectId);
        if (last === undefined) {
          state.activity.set(projectId, now);
          continue;
        }
        if (now - last < idleMs) continue;
        reconcileLog.info("stopping idle container", { project_id: projectId, idle_s: Math.round((now - last) / 1000) });
        await stopProject(projectId, "idle").catch(() => undefined);
      }
    })();
  }, every);
  state.sweeper.unref();
}

/** Called once by server.ts after the database opens: reconcile in the background, then idle stops. */
export function startContainerHousekeeping() {
  startIdleSweeper();
  reconcileContainers().catch((error: unknown) => reconcileLog.warn("container reconcile skipped: engine not reachable", { error: (error as Error).message }));
}
