import { z } from "zod";
import { defineRoute, type RouteContract } from "@/lib/api/contract";
import { pagination, uuid } from "../schemas";

const TAG = "Ship";
const projectParams = z.object({ project_id: uuid });

// ---------- Integrations ----------

const provider = z.enum(["github", "vercel"]);
const integration = z.object({
  provider,
  account_login: z.string(),
  team_id: z.string().nullable(),
  status: z.enum(["connected", "reconnect_required"]),
  connected_at: z.string(),
  updated_at: z.string(),
});
const token = z.string().trim().min(1).max(500);

export const listIntegrations = defineRoute({
  method: "GET",
  path: "/api/v1/integrations",
  summary: "Connected GitHub and Vercel accounts (tokens are never returned)",
  tag: TAG,
  auth: "user",
  response: z.array(integration),
});

export const connectGithub = defineRoute({
  method: "POST",
  path: "/api/v1/integrations/github",
  summary: "Connect GitHub with a personal access token (verified with GitHub, stored encrypted)",
  tag: TAG,
  auth: "user",
  body: z.strictObject({ token }),
  response: integration,
});

export const connectVercel = defineRoute({
  method: "POST",
  path: "/api/v1/integrations/vercel",
  summary: "Connect Vercel with an access token, optionally scoped to a team (verified with Vercel, stored encrypted)",
  tag: TAG,
  auth: "user",
  body: z.strictObject({ token, team_id: z.string().trim().min(1).max(100).optional() }),
  response: integration,
});

const disconnect = (name: "GitHub" | "Vercel") =>
  defineRoute({
    method: "DELETE",
    path: `/api/v1/integrations/${name.toLowerCase()}`,
    summary: `Disconnect ${name}: the stored token is deleted`,
    tag: TAG,
    auth: "user",
    response: integration,
  });
export const disconnectGithub = disconnect("GitHub");
export const disconnectVercel = disconnect("Vercel");

// ---------- GitHub ----------

const githubLink = z.object({
  repo_full_name: z.string(),
  html_url: z.string(),
  branch: z.string(),
  private: z.boolean(),
  last_pushed_sha: z.string().nullable(),
  last_pushed_at: z.string().nullable(),
  last_pulled_sha: z.string().nullable(),
  last_pulled_at: z.string().nullable(),
  linked_at: z.string(),
});

const pushResult = z.object({ link: githubLink, pushed_sha: z.string(), up_to_date: z.boolean() });

export const getGithubLink = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/github",
  summary: "The GitHub repository this project is linked to (data is null when not linked)",
  tag: TAG,
  auth: "user",
  params: projectParams,
  response: githubLink.extend({ ahead: z.boolean() }).nullable(),
});

const repoName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]{1,100}$/, "letters, digits, '.', '_' and '-' only (max 100)");

export const linkGithub = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/github",
  summary: "Create a GitHub repository (or link an existing one) and push the project's checkpoints",
  tag: TAG,
  auth: "user",
  params: projectParams,
  body: z
    .strictObject({
      name: repoName.optional(),
      private: z.boolean().default(true),
      existing: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9._-]+$/, "must be owner/name")
        .optional(),
    })
    .refine((b) => Boolean(b.name) !== Boolean(b.existing), { message: "give either name (new repository) or existing (owner/name)" }),
  response: pushResult,
  successStatus: 201,
});

export const pushGithub = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/github/push",
  summary: "Push new checkpoints to the linked repository (409 if GitHub has commits this project lacks: pull first)",
  tag: TAG,
  auth: "user",
  params: projectParams,
  response: pushResult,
});

export const pullGithub = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/github/pull",
  summary: "Bring the linked repository's new commits into the project as a new checkpoint",
  tag: TAG,
  auth: "user",
  params: projectParams,
  response: z.object({ link: githubLink, checkpoint_sha: z.string().nullable(), up_to_date: z.boolean(), changed_files: z.array(z.string()) }),
});

// ---------- Vercel ----------

export const vercelDeployment = z.object({
  id: z.string(),
  vercel_id: z.string(),
  vercel_project: z.string(),
  url: z.string(),
  state: z.enum(["QUEUED", "INITIALIZING", "BUILDING", "READY", "ERROR", "CANCELED"]),
  checkpoint_sha: z.string(),
  file_count: z.number(),
  uploaded_count: z.number(),
  error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});

export const createVercelDeployment = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/vercel/deployments",
  summary: "Deploy the current checkpoint to Vercel: uploads missing files, creates the deployment and waits (bounded) for READY or ERROR",
  tag: TAG,
  auth: "user",
  params: projectParams,
  body: z
    .strictObject({
      name: z
        .string()
        .trim()
        .regex(/^[a-z0-9._-]{1,100}$/, "lowercase letters, digits, '.', '_' and '-'")
        .optional(),
    })
    .optional(),
  response: vercelDeployment,
  successStatus: 201,
});

export const listVercelDeployments = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/vercel/deployments",
  summary: "This project's Vercel deployments, newest first",
  tag: TAG,
  auth: "user",
  params: projectParams,
  response: z.array(vercelDeployment),
});

// ---------- Preview deployments (built and served by Slipway) ----------

const deployment = z.object({
  id: z.string(),
  project_id: z.string(),
  checkpoint_sha: z.string(),
  state: z.enum(["queued", "building", "ready", "failed"]),
  visibility: z.enum(["private", "public"]),
  url: z.string(),
  access_url: z.string(),
  promoted: z.boolean(),
  stable_url: z.string(),
  error: z.string().nullable(),
  start_command: z
    .string()
    .nullable()
    .describe("Server-side templates: the production server command run in the deployment's container; null for static output"),
  log: z.string(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
const deploymentParams = z.object({ project_id: uuid, deployment_id: uuid });

export const createDeploymentRoute = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/deployments",
  summary:
    "Build the current checkpoint into an immutable deployment served at http://<id>.<DEPLOY_BASE_DOMAIN>; answers 202 while queued (poll GET …/deployments/{id}); promoted to the stable URL when ready unless promote is false",
  tag: TAG,
  auth: "user",
  params: projectParams,
  body: z.strictObject({ visibility: z.enum(["private", "public"]).default("private"), promote: z.boolean().default(true) }).optional(),
  response: deployment,
  successStatus: 202,
});

export const listDeploymentsRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/deployments",
  summary: "The project's deployments, newest first",
  tag: TAG,
  auth: "user",
  params: projectParams,
  query: pagination,
  response: z.array(deployment),
});

export const getDeploymentRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/deployments/{deployment_id}",
  summary: "One deployment: state, URLs, checkpoint and build log",
  tag: TAG,
  auth: "user",
  params: deploymentParams,
  response: deployment,
});

export const updateDeploymentRoute = defineRoute({
  method: "PATCH",
  path: "/api/v1/projects/{project_id}/deployments/{deployment_id}",
  summary: "Change a deployment's visibility (private: owner only; public: anyone with the link)",
  tag: TAG,
  auth: "user",
  params: deploymentParams,
  body: z.strictObject({ visibility: z.enum(["private", "public"]) }),
  response: deployment,
});

export const deleteDeploymentRoute = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project_id}/deployments/{deployment_id}",
  summary: "Delete a finished deployment and its files (if promoted, the stable URL stops serving)",
  tag: TAG,
  auth: "user",
  params: deploymentParams,
  response: deployment,
});

export const deploymentLogsRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/deployments/{deployment_id}/logs",
  summary:
    "Follow the build log as server-sent events: `log` events ({text}) replay the stored log and stream new output while building, then one `end` event ({state, error}) when the build has finished (at once for a finished one)",
  tag: TAG,
  auth: "user",
  params: deploymentParams,
  produces: "text/event-stream",
});

export const promoteDeploymentRoute = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/deployments/{deployment_id}/promote",
  summary: "Serve this ready deployment at the project's stable URL (instant; promoting an older one is a rollback)",
  tag: TAG,
  auth: "user",
  params: deploymentParams,
  response: deployment,
});

export const deploymentsContracts: RouteContract[] = [
  listIntegrations,
  connectGithub,
  connectVercel,
  disconnectGithub,
  disconnectVercel,
  getGithubLink,
  linkGithub,
  pushGithub,
  pullGithub,
  createVercelDeployment,
  listVercelDeployments,
  createDeploymentRoute,
  listDeploymentsRoute,
  getDeploymentRoute,
  updateDeploymentRoute,
  deleteDeploymentRoute,
  deploymentLogsRoute,
  promoteDeploymentRoute,
];
