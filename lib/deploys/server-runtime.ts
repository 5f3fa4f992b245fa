import fs from "node:fs";
import path from "node:path";
import type Docker from "dockerode";
import { CONTAINER_WORKDIR, containerUser } from "@/lib/containers/config";
import { docker } from "@/lib/containers/engine";
import { previewImage } from "@/lib/containers/image";
import { tailLogs } from "@/lib/containers/logs";
import { probeHttp, waitForHttp } from "@/lib/containers/readiness";
import { projectNetwork } from "@/lib/containers/network";
import { containerSpec } from "@/lib/containers/spec";
import { deploymentEnvEntries } from "@/lib/app-env/service";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { getDb } from "@/prisma-free-db/client";
import { appendDeploymentLog, type DeploymentRow } from "@/prisma-free-db/queries/deployments";
import { artifactDir } from "./artifacts";
import { deploymentContainerLabels, deploymentContainerName, removeDeploymentContainer } from "./server-container";
import { singleton } from "@/lib/shared/singleton";

const logger = log.child({ module: "deploy-server" });
const FAILED_START_HOLD_MS = 10_000;

/**
 * Folders of a server artifact the app may write to (Next.js caches): the builder creates them empty
 * (they are mount points) and each gets a private tmpfs when present.
 */
export const WRITABLE_APP_DIRS = [".next/cache"];

/** Where a deployment's server answers. */
export interface ServerTarget {
  host: string;
  port: number;
}

interface Running {
  target: ServerTarget;
  lastUsed: number;
  exited: boolean;
}
interface Entry {
  /** Settles when the container answers HTTP (or failed to). */
  starting: Promise<Running>;
  running?: Running;
}

/** Running deployment servers by deployment id (lib/deploys/server-container.ts removes entries too). */
const servers = () => singleton("deployServers", () => new Map<string, Entry>());

/**
 * A failed start goes into the deployment's log (once per process and deployment, so a crashing app
 * retried every few seconds does not grow it): the owner reads why in the API and the Ship panel, while
 * visitors only ever get the plain 502/503 page.
 */
async function recordStartFailure(row: DeploymentRow, reason: string, output: string) {
  const logged = singleton("deployStartFailuresLogged", () => new Set<string>());
  if (logged.has(row.id)) return;
  logged.add(row.id);
  const tail = output.trimEnd().slice(-4000);
  const text = `[${new Date().toISOString()}] The server did not start: ${reason}.${tail ? ` Its last output:\n${tail}` : " It printed nothing."}\n`;
  await appendDeploymentLog(await getDb(), { id: row.id, text }).catch((error: unknown) =>
    logger.warn("could not record the failed start in the deployment log", { deployment_id: row.id, error: (error as Error).message }),
  );
}

/** Why a deployment's server is not available; `status` is 502 (it exited) or 503 (it did not answer in time / no engine). */
export class ServerUnavailable extends Error {
  constructor(
    readonly status: 502 | 503,
    message: string,
  ) {
    super(message);
  }
}

/** The hardened preview spec with the artifact mounted read-only, production env and no published dev helpers. */
function serverSpec(row: DeploymentRow, image: string, network: string, appEnv: string[]): Docker.ContainerCreateOptions {
  const startCommand = row.start_command!;
  const port = row.port!;
  const base = containerSpec({
    projectId: row.project_id,
    ownerId: row.owner_id,
    projectDir: artifactDir(row.id),
    template: { name: "deployment", title: "", description: "", devCommand: startCommand, buildCommand: "", outputDir: ".", port, hasDependencies: false },
    image,
    network,
    appEnv,
  });
  const { uid, gid } = containerUser();
  const binds = (base.HostConfig?.Binds ?? []).map((b) => (b.endsWith(`:${CONTAINER_WORKDIR}:rw`) ? b.replace(/:rw$/, ":ro") : b));
  const tmpfs: Record<string, string> = { ...base.HostConfig?.Tmpfs };
  for (const dir of WRITABLE_APP_DIRS.filter((d) => fs.existsSync(path.join(artifactDir(row.id), d))))
    tmpfs[`${CONTAINER_WORKDIR}/${dir}`] = `rw,nosuid,nodev,size=256m,uid=${uid},gid=${gid}`;
  return {
    ...base,
    name: deploymentContainerName(row.id),
    Cmd: ["sh", "-c", startCommand],
    Env: [...(base.Env ?? []).filter((e) => !e.startsWith("NODE_ENV=")), "NODE_ENV=production", "NEXT_TELEMETRY_DISABLED=1"],
    Labels: deploymentContainerLabels(row.id, row.owner_id),
    HostConfig: { ...base.HostConfig, Binds: binds, Tmpfs: tmpfs },
  };
}

async function start(row: DeploymentRow): Promise<Running> {
  await removeDeploymentContainer(row.id); // a leftover (e.g. it crashed) is replaced
  const container = await docker().createContainer(serverSpec(row, await previewImage(), await projectNetwork(), await deploymentEnvEntries(row.id)));
  await container.start();
  const info = await container.inspect();
  const binding = info.NetworkSettings.Ports[`${row.port}/tcp`]?.[0];
  if (!binding) throw new Error("the container has no published port");
  const port = Number(binding.HostPort);
  const running: Running = { target: { host: "127.0.0.1", port }, lastUsed: Date.now(), exited: false };
  const exited = container.wait().finally(() => {
    running.exited = true;
  });
  const outcome = await waitForHttp(port, { exited, timeoutMs: env().CONTAINER_READY_TIMEOUT_SECONDS * 1000 });
  if (outcome === "ready") {
    // The container's bridge address skips Docker's userland port proxy (about twice the throughput
    // here); the published port stays as the fallback where the bridge is not reachable from Slipway.
    const ip = Object.values(info.NetworkSettings.Networks)[0]?.IPAddress;
    if (ip && (await probeHttp(row.port!, 1000, ip))) running.target = { host: ip, port: row.port! };
    startSweeper();
    return running;
  }
  const output = await tailLogs(container, 30).catch(() => "");
  logger.warn("deployment server did not start", { deployment_id: row.id, outcome, output: output.slice(-2000) });
  await recordStartFailure(
    row,
    outcome === "exited" ? `\`${row.start_command}\` exited` : `nothing answered on port ${row.port} within ${env().CONTAINER_READY_TIMEOUT_SECONDS} s`,
    output,
  );
  await removeDeploymentContainer(row.id).catch(() => undefined);
  throw outcome === "exited"
    ? new ServerUnavailable(502, "The deployment's server stopped while starting.")
    : new ServerUnavailable(503, "The deployment's server did not answer in time.");
}

/**
 * Where a server-side deployment's running container answers, started on first use (one container
 * per deployment; concurrent first requests share the start). A failed start is remembered for
 * FAILED_START_HOLD_MS, then the next request tries again.
 */
export async function deploymentServer(row: DeploymentRow): Promise<ServerTarget> {
  const map = servers();
  let entry = map.get(row.id);
  if (entry?.running?.exited) {
    map.delete(row.id);
    entry = undefined;
  }
  if (!entry) {
    const fresh: Entry = {
      starting: start(row).catch((error: unknown) => {
        // The failure answers requests for a few seconds: an app that cannot start is not restarted per request.
        setTimeout(() => {
          if (map.get(row.id) === fresh) map.delete(row.id);
        }, FAILED_START_HOLD_MS).unref();
        if (error instanceof ServerUnavailable) throw error;
        logger.error("could not start a deployment server", { deployment_id: row.id, error: (error as Error).message });
        throw new ServerUnavailable(503, "The deployment's server could not be started.");
      }),
    };
    void fresh.starting.then((r) => (fresh.running = r)).catch(() => undefined);
    map.set(row.id, fresh);
    entry = fresh;
  }
  const running = await entry.starting;
  running.lastUsed = Date.now();
  return running.target;
}

/** Marks traffic (requests, WebSocket frames): the idle stop leaves the container running. */
export function touchDeploymentServer(deploymentId: string) {
  const running = servers().get(deploymentId)?.running;
  if (running) running.lastUsed = Date.now();
}

/** Forgets a container that stopped answering (the next request starts a new one). */
export function forgetDeploymentServer(deploymentId: string) {
  servers().delete(deploymentId);
  void removeDeploymentContainer(deploymentId).catch(() => undefined);
}

/** Stops deployment servers with no traffic for PREVIEW_IDLE_MINUTES, like preview containers. One timer per process. */
function startSweeper() {
  const idleMs = env().PREVIEW_IDLE_MINUTES * 60_000;
  if (idleMs <= 0) return;
  const every = Math.min(60_000, Math.max(500, idleMs / 4));
  singleton("deploySweeper", () =>
    setInterval(() => {
      const now = Date.now();
      for (const [id, entry] of servers()) {
        if (!entry.running || now - entry.running.lastUsed < idleMs) continue;
        logger.info("stopping idle deployment server", { deployment_id: id, idle_s: Math.round((now - entry.running.lastUsed) / 1000) });
        servers().delete(id);
        void removeDeploymentContainer(id).catch(() => undefined);
      }
    }, every).unref(),
  );
}
