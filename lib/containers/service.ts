import { randomBytes } from "node:crypto";
import fs from "node:fs";
import type Docker from "dockerode";
import { getDb } from "@/prisma-free-db/client";
import { getContainerProject, type ContainerProject } from "@/prisma-free-db/queries/containers";
import { env } from "@/lib/env";
import { ApiError, notFound } from "@/lib/errors";
import { projectDir } from "@/lib/files/project-dir";
import { log } from "@/lib/log";
import { previewUrl } from "./preview-url";
import { getTemplate } from "@/lib/templates/catalog";
import { publishProjectEvent, subscribeProjectEvents } from "@/lib/realtime/project-events";
import { appEnvEntries } from "@/lib/app-env/service";
import { appEnvDigest } from "@/lib/app-env/digest";
import { LABEL_ENV_DIGEST, LABEL_INSTANCE, LABEL_PROJECT, LABEL_ROLE, containerName, containerUser, instanceId } from "./config";
import { docker, isEngineDown } from "./engine";
import { execInContainer, execInOneOffContainer, type ExecOptions, type ExecResult } from "./exec";
import { previewImage } from "./image";
import { projectNetwork } from "./network";
import { followLogs, tailLogs } from "./logs";
import { chownTree } from "./ownership";
import { probeHttp, waitForHttp } from "./readiness";
import { projectLocked, shared, touchProject, withProjectLock, type ContainerMemo } from "./runtime-state";
import { containerSpec } from "./spec";

export { touchProject };
export type { ExecOptions, ExecResult };

const containerLog = log.child({ module: "containers" });

export type ContainerStateName = "stopped" | "starting" | "ready" | "crashed";

export interface ContainerState {
  state: ContainerStateName;
  /** Host port (on 127.0.0.1) the dev server is published on while running. */
  port: number | null;
  started_at: string | null;
  exit_code: number | null;
  oom_killed: boolean;
  last_error: string | null;
  preview_url: string;
}

const engineDown = () =>
  new ApiError("unavailable", "Docker engine not reachable: containers and previews are unavailable (is dockerd running? check DOCKER_HOST)");

/** Maps an unreachable engine to a 503 with a clear message; everything else passes through. */
async function engine<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isEngineDown(error)) {
      throw engineDown();
    }
    throw error;
  }
}

async function loadProject(projectId: string): Promise<ContainerProject> {
  const project = await getContainerProject(await getDb(), { id: projectId });
  if (!project) throw notFound("Project");
  return project;
}

async function inspectProjectContainer(projectId: string): Promise<Docker.ContainerInspectInfo | undefined> {
  try {
    return await docker().getContainer(containerName(projectId)).inspect();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
}

function hostPortOf(info: Docker.ContainerInspectInfo): number | undefined {
  for (const bindings of Object.values(info.NetworkSettings?.Ports ?? {})) {
    const hostPort = bindings?.find((b) => b.HostIp === "127.0.0.1")?.HostPort ?? bindings?.[0]?.HostPort;
    if (hostPort) return Number(hostPort);
  }
  return undefined;
}

function describeExit(info: Docker.ContainerInspectInfo): string {
  const s = info.State;
  if (s.OOMKilled) return `dev server was killed: out of memory (limit ${env().CONTAINER_MEMORY_MB} MB)`;
  return `dev server exited with code ${s.ExitCode}${s.Error ? ` (${s.Error})` : ""}`;
}

function stateFrom(project: ContainerProject, info: Docker.ContainerInspectInfo | undefined, memo: ContainerMemo | undefined): ContainerState {
  const base = { preview_url: previewUrl(project.slug), oom_killed: false, exit_code: null, last_error: null, started_at: null, port: null };
  if (!info) {
    // A start that failed before a container existed (image, template) stays visible until the next start.
    if (memo?.phase === "crashed" && !memo.containerId) return { ...base, state: "crashed", last_error: memo.lastError ?? null };
    if (memo?.phase === "starting") return { ...base, state: "starting" };
    return { ...base, state: "stopped" };
  }
  const startedAt = info.State.StartedAt && !info.State.StartedAt.startsWith("0001") ? info.State.StartedAt : null;
  if (info.State.Running) {
    const ours = memo?.containerId === info.Id;
    return {
      ...base,
      state: ours && memo?.phase === "ready" ? "ready" : ours && memo?.phase === "crashed" ? "crashed" : "starting",
      port: hostPortOf(info) ?? null,
      started_at: startedAt,
      last_error: ours ? (memo?.lastError ?? null) : null,
    };
  }
  return {
    ...base,
    state: "crashed",
    started_at: startedAt,
    exit_code: info.State.ExitCode ?? null,
    oom_killed: Boolean(info.State.OOMKilled),
    last_error: (memo?.containerId === info.Id ? memo.lastError : undefined) ?? describeExit(info),
  };
}

/**
 * Records a crash. A crashed preview is not restarted by page loads (no restart loop) until a project
 * file changes: then the next preview request (or the agent's check) tries again.
 */
function markCrashed(projectId: string, entry: ContainerMemo, lastError: string) {
  entry.phase = "crashed";
  entry.lastError = lastError;
  entry.filesChangedSinceCrash = false;
  const unsubscribe = subscribeProjectEvents(projectId, (event) => {
    if (event.type !== "file_changed") return;
    entry.filesChangedSinceCrash = true;
    unsubscribe();
  });
  publishState(projectId, "crashed", lastError);
}

function publishState(projectId: string, state: ContainerStateName, error?: string) {
  publishProjectEvent(projectId, { type: "container_state", state, ...(error ? { error } : {}) });
}

/**
 * Where the preview proxy reaches the dev server: its container's bridge address when Slipway can reach it there,
 * which skips Docker's userland port proxy (one process and two sockets fewer on every connection); the published
 * port where the bridge is not reachable (e.g. Docker Desktop, a remote engine). Probed once the dev server is ready.
 */
async function findBridgeAddress(container: Docker.Container, entry: ContainerMemo): Promise<void> {
  const info = await container.inspect().catch(() => undefined);
  const host = info && Object.values(info.NetworkSettings.Networks ?? {})[0]?.IPAddress;
  const exposed = info && Object.keys(info.NetworkSettings.Ports ?? {})[0];
  if (!host || !exposed) return;
  const port = Number(exposed.split("/")[0]);
  if (await probeHttp(port, 1000, host)) entry.bridge = { host, port };
}

/**
 * Waits until the dev server in `container` answers HTTP; records and publishes ready or crashed.
 * Used after a start and for containers adopted at start-up.
 */
function watchReadiness(project: ContainerProject, container: Docker.Container, containerId: string, hostPort: number): Promise<void> {
  const { memo } = shared();
  const entry: ContainerMemo = { containerId, phase: "starting", hostPort };
  memo.set(project.id, entry);
  const exited = container.wait().then(
    (r: { StatusCode?: number }) => r,
    () => ({ StatusCode: -1 }),
  );
  entry.readiness = (async () => {
    const outcome = await waitForHttp(hostPort, { exited, timeoutMs: env().CONTAINER_READY_TIMEOUT_SECONDS * 1000 });
    if (memo.get(project.id) !== entry) return; // stopped or restarted meanwhile
    if (outcome === "ready") {
      entry.phase = "ready";
      touchProject(project.id); // a slow start must not count as idle time
      containerLog.info("preview ready", { project_id: project.id, port: hostPort });
      publishState(project.id, "ready");
      publishProjectEvent(project.id, { type: "preview_ready", url: previewUrl(project.slug), port: hostPort });
      void findBridgeAddress(container, entry);
      // Report a later crash (dev server exit, OOM kill) without anyone polling.
      void exited.then(async () => {
        if (memo.get(project.id) !== entry || entry.phase !== "ready") return;
        entry.phase = "crashed";
        const info = await container.inspect().catch(() => undefined);
        const lastError = info ? `${describeExit(info)}\n${await tailLogs(container, 20).catch(() => "")}`.trim() : "container disappeared";
        containerLog.warn("dev server stopped unexpectedly", { project_id: project.id, error: lastError });
        markCrashed(project.id, entry, lastError);
      });
      return;
    }
    if (outcome === "timeout") {
      await container.kill().catch(() => undefined);
    }
    const info = await container.inspect().catch(() => undefined);
    const lines = await tailLogs(container, 30).catch(() => "");
    const reason =
      outcome === "timeout"
        ? `dev server did not answer HTTP on port ${hostPort} within ${env().CONTAINER_READY_TIMEOUT_SECONDS} s`
        : info
          ? describeExit(info)
          : "container disappeared";
    containerLog.warn("dev server failed to start", { project_id: project.id, error: reason });
    markCrashed(project.id, entry, lines.trim() ? `${reason}; last output:\n${lines.trimEnd()}` : reason);
  })();
  return entry.readiness;
}

async function removeContainerByName(projectId: string) {
  try {
    await docker().getContainer(containerName(projectId)).remove({ force: true });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== 404 && status !== 409) throw error;
  }
}

async function startFresh(project: ContainerProject): Promise<void> {
  const { memo } = shared();
  const template = getTemplate(project.template);
  const dir = projectDir(project.id);
  try {
    if (!template) throw new Error(`unknown template "${project.template}"`);
    if (!fs.existsSync(dir)) throw new Error("the project directory is missing");
    const fresh = shared().freshProjects.delete(project.id);
    if (!fresh) await removeContainerByName(project.id);
    // "starting" without a container id: state reads report starting and do not adopt the new container.
    memo.set(project.id, { phase: "starting" });
    publishState(project.id, "starting");
    const image = await previewImage();
    const { uid, gid } = containerUser();
    if (!fresh) await chownTree(dir, uid, gid);
    const appEnv = await appEnvEntries(project.id);
    const container = await docker().createContainer(
      containerSpec({ projectId: project.id, ownerId: project.owner_id, projectDir: dir, template, image, network: await projectNetwork(), appEnv }),
    );
    await container.start();
    const info = await container.inspect();
    const hostPort = hostPortOf(info);
    if (!hostPort) throw new Error("the engine published no port");
    containerLog.info("container started", { project_id: project.id, container: info.Id.slice(0, 12), image, port: hostPort });
    touchProject(project.id);
    await watchReadiness(project, container, info.Id, hostPort);
  } catch (error) {
    if (isEngineDown(error)) {
      memo.delete(project.id);
      throw error;
    }
    const message = error instanceof Error ? error.message : String(error);
    const entry: ContainerMemo = { phase: "crashed" };
    memo.set(project.id, entry);
    containerLog.error("container start failed", { project_id: project.id, error: message });
    markCrashed(project.id, entry, `could not start the container: ${message}`);
  }
}

/** Whether the project's container is running with other app variables than the saved ones (the dev server reads them at start). */
export async function appEnvRestartRequired(projectId: string): Promise<boolean> {
  const info = await engine(() => inspectProjectContainer(projectId)).catch(() => undefined);
  if (!info?.State.Running) return false;
  return info.Config.Labels?.[LABEL_ENV_DIGEST] !== appEnvDigest(await appEnvEntries(projectId));
}

/** The project's container state (derived from the engine plus what this process observed). */
export async function getContainerState(projectId: string): Promise<ContainerState> {
  const project = await loadProject(projectId);
  return engine(async () => {
    const info = await inspectProjectContainer(projectId);
    const memo = shared().memo.get(projectId);
    // A start or stop in progress records its container itself; adopting one a stop is removing would
    // record its SIGKILL as a crash and block the next preview request.
    if (info?.State.Running && memo?.containerId !== info.Id && !projectLocked(projectId)) {
      // Running but not started by this process yet (e.g. after a restart): find out if it answers.
      const port = hostPortOf(info);
      if (port) void watchReadiness(project, docker().getContainer(info.Id), info.Id, port);
    }
    return stateFrom(project, info, shared().memo.get(projectId));
  });
}

/**
 * Starts the project's container unless it is running, and waits until the dev server answers HTTP.
 * Resolves with the final state: `ready`, or `crashed` with the exit code and last output.
 */
export async function ensureRunning(projectId: string): Promise<ContainerState> {
  const project = await loadProject(projectId);
  touchProject(projectId);
  return engine(() =>
    withProjectLock(projectId, async () => {
      const info = shared().freshProjects.has(projectId) ? undefined : await inspectProjectContainer(projectId);
      const memo = shared().memo.get(projectId);
      if (info?.State.Running) {
        if (memo?.containerId === info.Id && memo.phase !== "crashed") {
          if (memo.phase === "starting") await memo.readiness;
          return stateFrom(project, await inspectProjectContainer(projectId), shared().memo.get(projectId));
        }
        if (memo?.containerId !== info.Id) {
          const port = hostPortOf(info);
          if (port) {
            await watchReadiness(project, docker().getContainer(info.Id), info.Id, port);
            const after = shared().memo.get(projectId);
            if (after?.phase === "ready") return stateFrom(project, await inspectProjectContainer(projectId), after);
          }
        }
      }
      await startFresh(project);
      return stateFrom(project, await inspectProjectContainer(projectId), shared().memo.get(projectId));
    }),
  );
}

/** Stops (removes) and starts the container again, waiting for readiness. */
export async function restartProject(projectId: string): Promise<ContainerState> {
  const project = await loadProject(projectId);
  touchProject(projectId);
  return engine(() =>
    withProjectLock(projectId, async () => {
      await startFresh(project);
      return stateFrom(project, await inspectProjectContainer(projectId), shared().memo.get(projectId));
    }),
  );
}

/**
 * Stops the project's dev server. The container is removed (a fresh one is created on the next start),
 * so a stopped project holds no engine resources.
 */
export async function stopProject(projectId: string, reason: "request" | "idle" = "request"): Promise<ContainerState> {
  const project = await loadProject(projectId);
  return engine(() =>
    withProjectLock(projectId, async () => {
      const last = shared().activity.get(projectId);
      if (reason === "idle" && last !== undefined && Date.now() - last < env().PREVIEW_IDLE_MINUTES * 60_000) {
        return stateFrom(project, await inspectProjectContainer(projectId), shared().memo.get(projectId)); // used again meanwhile
      }
      shared().memo.delete(projectId);
      await removeContainerByName(projectId);
      shared().activity.delete(projectId);
      containerLog.info("container stopped", { project_id: projectId, reason });
      publishState(projectId, "stopped");
      return stateFrom(project, undefined, undefined);
    }),
  );
}

/**
 * Removes the project's container, if any (project deletion). Works without the project row and
 * never fails because the engine is down (reconcile removes leftovers on the next start).
 */
export async function removeProjectContainer(projectId: string): Promise<void> {
  await withProjectLock(projectId, async () => {
    shared().memo.delete(projectId);
    shared().activity.delete(projectId);
    shared().freshProjects.delete(projectId);
    try {
      // The dev server's container and any one-off command container still running.
      const all = await docker().listContainers({ all: true, filters: { label: [`${LABEL_PROJECT}=${projectId}`, `${LABEL_INSTANCE}=${instanceId()}`] } });
      await Promise.all(
        all.map((c) =>
          docker()
            .getContainer(c.Id)
            .remove({ force: true })
            .catch(() => undefined),
        ),
      );
    } catch (error) {
      containerLog.warn("could not remove a deleted project's container", { project_id: projectId, error: (error as Error).message });
    }
  });
}

/**
 * Runs a command in the project's container (started if needed) as the container's user, in the
 * project folder. On timeout or abort the process tree is killed and the output so far is returned.
 */
export async function execInProject(projectId: string, opts: ExecOptions): Promise<ExecResult> {
  const memo = shared().memo.get(projectId);
  if (memo?.phase === "ready" && memo.containerId) {
    // Fast path: the dev server is known to be up; a stale id fails at once and takes the full path.
    touchProject(projectId);
    const result = await execInContainer(docker().getContainer(memo.containerId), opts).catch((error: unknown) => {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 404 || status === 409) return undefined;
      if (isEngineDown(error)) throw engineDown();
      throw error;
    });
    if (result) return result;
  }
  const project = await loadProject(projectId);
  // A crashed dev server is not restarted for every command (that is what restart is for): the command
  // runs in a one-off container instead.
  const state = memo?.phase === "crashed" ? await getContainerState(projectId) : await ensureRunning(projectId);
  touchProject(projectId);
  return engine(async () => {
    const info = await inspectProjectContainer(projectId);
    if (info?.State.Running) return execInContainer(docker().getContainer(info.Id), opts);
    // The dev server crashed: run the command in a one-off container so it can still be fixed.
    const template = getTemplate(project.template);
    if (!template) throw new ApiError("conflict", `The project's container cannot run (${state.last_error ?? state.state})`);
    const spec = containerSpec({
      projectId,
      ownerId: project.owner_id,
      projectDir: projectDir(projectId),
      template,
      image: await previewImage(),
      network: await projectNetwork(),
      appEnv: await appEnvEntries(projectId),
    });
    const { ExposedPorts: _ports, ...rest } = spec;
    return execInOneOffContainer(
      docker(),
      {
        ...rest,
        name: `${containerName(projectId)}-exec-${randomBytes(4).toString("hex")}`,
        Labels: { ...spec.Labels, [LABEL_ROLE]: "exec" },
        HostConfig: { ...spec.HostConfig, PortBindings: {} },
      },
      opts,
    );
  });
}

/**
 * The project's running container for an interactive session, started (and waited for) when needed.
 * Throws a 409 ApiError saying why when it cannot run (e.g. the dev server crashed: restart it first).
 */
export async function runningProjectContainer(projectId: string): Promise<Docker.Container> {
  const memo = shared().memo.get(projectId);
  touchProject(projectId);
  if (memo?.phase === "ready" && memo.containerId) return docker().getContainer(memo.containerId);
  const state = await ensureRunning(projectId);
  return engine(async () => {
    const info = await inspectProjectContainer(projectId);
    if (info?.State.Running) return docker().getContainer(info.Id);
    throw new ApiError("conflict", `The project's container is not running (${state.last_error ?? state.state}); restart it, then open the terminal again.`);
  });
}

/** The last `tail` lines of the dev server's output ("" when there is no container). */
export async function readContainerLogs(projectId: string, { tail = 200 }: { tail?: number } = {}): Promise<string> {
  await loadProject(projectId);
  return engine(async () => {
    const info = await inspectProjectContainer(projectId);
    if (!info) return "";
    return tailLogs(docker().getContainer(info.Id), tail);
  });
}

/** Streams the dev server's output (starting with the last `tail` lines) until the container stops. */
export async function streamContainerLogs(
  projectId: string,
  { tail = 200, signal }: { tail?: number; signal?: AbortSignal } = {},
): Promise<ReadableStream<Uint8Array>> {
  await loadProject(projectId);
  return engine(async () => {
    const info = await inspectProjectContainer(projectId);
    if (!info) return new ReadableStream({ start: (c) => c.close() });
    return followLogs(docker().getContainer(info.Id), tail, signal);
  });
}

/** The host port of the project's dev server when this process knows it is up and answering; starts nothing. */
export function readyPreviewPort(projectId: string): number | null {
  const memo = shared().memo.get(projectId);
  return memo?.phase === "ready" && memo.hostPort ? memo.hostPort : null;
}

/** Where the preview proxy reaches a dev server (a bridge address or 127.0.0.1 and the published port). */
export interface PreviewUpstream {
  host: string;
  port: number;
}

/**
 * The host port of a ready dev server and where the proxy connects to it (`upstream`), starting the container
 * (and waiting) when needed.
 */
export async function previewTarget(projectId: string): Promise<{ port: number; upstream: PreviewUpstream } | { error: string }> {
  const ready = readyPreviewTarget(projectId);
  touchProject(projectId);
  if (ready) return ready;
  const memo = shared().memo.get(projectId);
  // Crashed stays crashed until a restart or a file change: no restart loop from page reloads.
  if (memo?.phase === "crashed" && !memo.filesChangedSinceCrash) return { error: memo.lastError ?? "the dev server crashed" };
  const state = await ensureRunning(projectId);
  if (state.state === "ready" && state.port)
    return { port: state.port, upstream: shared().memo.get(projectId)?.bridge ?? { host: "127.0.0.1", port: state.port } };
  return { error: state.last_error ?? `preview is ${state.state}` };
}

/** previewTarget's answer when this process knows the dev server is ready (no promise, starts nothing); else undefined. */
export function readyPreviewTarget(projectId: string): { port: number; upstream: PreviewUpstream } | undefined {
  const memo = shared().memo.get(projectId);
  if (memo?.phase !== "ready" || !memo.hostPort) return undefined;
  return { port: memo.hostPort, upstream: memo.bridge ?? { host: "127.0.0.1", port: memo.hostPort } };
}

/**
 * Hands a project tree Slipway has just made (no container has run on it yet, so nothing in it is hostile) to the
 * container user, and marks the project fresh: the first start of its container skips that walk and the lookups of
 * a container it cannot have yet.
 */
export async function ownNewProjectTree(projectId: string): Promise<void> {
  const { uid, gid } = containerUser();
  await chownTree(projectDir(projectId), uid, gid);
  shared().freshProjects.add(projectId);
}

/** Starts the project's container without waiting for it (a new project's preview comes up meanwhile). */
export function startInBackground(projectId: string): void {
  ensureRunning(projectId).catch((error: unknown) =>
    containerLog.warn("starting a new project's container failed", { project_id: projectId, error: error instanceof Error ? error.message : String(error) }),
  );
}
