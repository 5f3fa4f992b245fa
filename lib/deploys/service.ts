import { randomUUID } from "node:crypto";
import { ApiError, notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import { getTemplate } from "@/lib/templates/catalog";
import { getDb } from "@/prisma-free-db/client";
import {
  deleteDeploymentRow,
  deploymentLogSince,
  getDeployment,
  insertDeployment,
  listDeployments,
  promoteDeployment,
  promotedDeploymentId,
  setDeploymentVisibility,
  type DeploymentRow,
  type Visibility,
} from "@/prisma-free-db/queries/deployments";
import type { Project } from "@/prisma-free-db/queries/projects";
import { ACCESS_PATH, ACCESS_TOKEN_TTL_S, deployUrl, signAccess } from "./access";
import { removeArtifact } from "./artifacts";
import { buildDeployment } from "./build";
import { currentCheckpoint } from "./checkpoint-export";
import { invalidateLookups } from "./lookup-cache";
import { removeDeploymentContainer } from "./server-container";
import { singleton } from "@/lib/shared/singleton";

const logger = log.child({ module: "deploys" });

export interface DeploymentView {
  id: string;
  project_id: string;
  checkpoint_sha: string;
  state: DeploymentRow["state"];
  visibility: Visibility;
  url: string;
  /** Opens a private deployment in a browser: a short-lived link that sets the owner's access cookie. */
  access_url: string;
  promoted: boolean;
  stable_url: string;
  error: string | null;
  /** Server-side deployments run this in their own container (started on the first request); null for static ones. */
  start_command: string | null;
  log: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

function view(row: DeploymentRow, project: Project, promotedId: string | undefined): DeploymentView {
  const url = deployUrl(row.id);
  const access =
    row.visibility === "public"
      ? url
      : `${url.replace(/\/$/, "")}${ACCESS_PATH}?token=${encodeURIComponent(signAccess(project.id, project.owner_id, ACCESS_TOKEN_TTL_S))}`;
  return {
    id: row.id,
    project_id: row.project_id,
    checkpoint_sha: row.checkpoint_sha,
    state: row.state,
    visibility: row.visibility,
    url,
    access_url: access,
    promoted: row.id === promotedId,
    stable_url: deployUrl(project.slug),
    error: row.error,
    start_command: row.start_command,
    log: row.log,
    created_at: row.created_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
  };
}

// One build at a time per process (2-core machines); later requests wait their turn in `queued`.
function enqueue(work: () => Promise<void>) {
  const queue = singleton("deployQueue", () => ({ tail: Promise.resolve() as Promise<unknown> }));
  const next = queue.tail.then(work, work);
  queue.tail = next.catch(() => undefined);
}

/**
 * Records a deployment of the project's current checkpoint and queues its build. When it becomes
 * ready and `promote` is set, it is promoted to the stable URL; a failed build promotes nothing, so
 * the previous deployment keeps serving.
 */
export async function createDeployment(project: Project, input: { visibility: Visibility; promote: boolean }): Promise<DeploymentView> {
  const { id: projectId, owner_id: ownerId } = project;
  const template = getTemplate(project.template);
  if (!template) throw new ApiError("conflict", `The project's template "${project.template}" no longer exists`);
  const sha = await currentCheckpoint(projectId, "deploy");
  const id = randomUUID();
  const db = await getDb();
  await insertDeployment(db, {
    id,
    projectId,
    ownerId,
    checkpointSha: sha,
    visibility: input.visibility,
    startCommand: template.startCommand ?? null,
    port: template.startCommand ? template.port : null,
  });
  const row = (await getDeployment(db, { id }))!;
  enqueue(() =>
    buildDeployment(row, template, async (tx) => {
      if (input.promote) await promoteDeployment(tx, { projectId, deploymentId: id });
    })
      .then(invalidateLookups)
      .catch((error) => logger.error("deployment build crashed", { deployment_id: id, error })),
  );
  return view(row, project, await promotedDeploymentId(db, { projectId }));
}

/** The project's deployment, or 404 (a deployment of another project is indistinguishable from a missing one). */
async function projectDeployment(project: Project, deploymentId: string) {
  const row = await getDeployment(await getDb(), { id: deploymentId });
  if (!row || row.project_id !== project.id) throw notFound("Deployment");
  return row;
}

export async function listProjectDeployments(project: Project, page: { limit: number; offset: number }) {
  const db = await getDb();
  const { items, total } = await listDeployments(db, { projectId: project.id, ownerId: project.owner_id, ...page });
  const promotedId = await promotedDeploymentId(db, { projectId: project.id });
  return { items: items.map((r) => view(r, project, promotedId)), total };
}

export async function getProjectDeployment(project: Project, deploymentId: string): Promise<DeploymentView> {
  const row = await projectDeployment(project, deploymentId);
  return view(row, project, await promotedDeploymentId(await getDb(), { projectId: project.id }));
}

/** Points the stable URL at a ready deployment: instant, nothing is rebuilt (promoting an older one is a rollback). */
export async function promote(project: Project, deploymentId: string): Promise<DeploymentView> {
  const row = await projectDeployment(project, deploymentId);
  if (row.state !== "ready") throw new ApiError("conflict", `Only a ready deployment can be promoted; this one is ${row.state}`);
  const db = await getDb();
  await promoteDeployment(db, { projectId: project.id, deploymentId });
  invalidateLookups();
  return view(row, project, deploymentId);
}

export async function changeVisibility(project: Project, deploymentId: string, visibility: Visibility): Promise<DeploymentView> {
  await projectDeployment(project, deploymentId);
  const db = await getDb();
  await setDeploymentVisibility(db, { id: deploymentId, visibility });
  invalidateLookups();
  return view((await getDeployment(db, { id: deploymentId }))!, project, await promotedDeploymentId(db, { projectId: project.id }));
}

/** Deletes a finished deployment and its files; if it was promoted, the stable URL stops serving. */
export async function removeDeployment(project: Project, deploymentId: string): Promise<DeploymentView> {
  const row = await projectDeployment(project, deploymentId);
  if (row.state === "queued" || row.state === "building") throw new ApiError("conflict", "The deployment is still building; delete it once it has finished");
  const db = await getDb();
  const promotedId = await promotedDeploymentId(db, { projectId: project.id });
  await db.transaction((tx) => deleteDeploymentRow(tx, { id: deploymentId }));
  invalidateLookups();
  await removeDeploymentContainer(deploymentId).catch((error: unknown) =>
    logger.warn("could not remove a deployment's container", { deployment_id: deploymentId, error: (error as Error).message }),
  );
  removeArtifact(deploymentId);
  return view(row, project, promotedId);
}

const LOG_POLL_MS = 500;
const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * The build log as server-sent events: `log` events ({ text }) replay what is stored and follow what the
 * build appends (read every 500 ms), then one `end` event ({ state, error }) once the build has finished.
 */
export async function followDeploymentLog(project: Project, deploymentId: string, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  await projectDeployment(project, deploymentId);
  const db = await getDb();
  const encoder = new TextEncoder();
  let offset = 0;
  let polls = 0;
  let cancelled = false;
  let timer: NodeJS.Timeout | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const stop = () => {
        clearTimeout(timer);
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      };
      signal.addEventListener("abort", stop, { once: true });
      const poll = async () => {
        if (signal.aborted || cancelled) return;
        try {
          const got = await deploymentLogSince(db, { id: deploymentId, from: offset });
          if (cancelled) return;
          if (!got) {
            controller.enqueue(encoder.encode(sse("end", { state: "deleted", error: null })));
            return stop();
          }
          if (got.text) controller.enqueue(encoder.encode(sse("log", { text: got.text })));
          offset = got.length;
          if (got.state === "ready" || got.state === "failed") {
            controller.enqueue(encoder.encode(sse("end", { state: got.state, error: got.error })));
            return stop();
          }
          // A comment line now and then keeps proxies from closing a quiet stream.
          if (++polls % 30 === 0) controller.enqueue(encoder.encode(": building\n\n"));
        } catch (error) {
          logger.warn("following a deployment log failed", { deployment_id: deploymentId, error: (error as Error).message });
          return stop();
        }
        timer = setTimeout(() => void poll(), LOG_POLL_MS);
      };
      void poll();
    },
    cancel() {
      cancelled = true;
      clearTimeout(timer);
    },
  });
}
