import { z } from "zod";
import { defineRoute, type RouteContract } from "@/lib/http/contract";
import { templateManifest } from "@/lib/projects/template-manifest";
import { pagination, uuid } from "../schemas";

const tag = "Projects";
const projectParams = z.object({ project_id: uuid });

export const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string().describe("URL-safe, unique; the preview host name is <slug>.<preview domain>"),
  template: z.string(),
  description: z.string(),
  last_model: z.string().nullable().describe("The model the project's last chat turn asked for; the chat's model picker starts with it"),
  created_at: z.string(),
  updated_at: z.string(),
});

const templateSchema = templateManifest.extend({
  dependencies_cached: z.boolean().describe("Whether the dependency cache is warm (creating from it is fast)"),
});

const projectName = z.string().trim().min(1).max(100);

export const listTemplatesRoute = defineRoute({
  method: "GET",
  path: "/api/v1/templates",
  summary: "Project templates",
  tag: "Templates",
  auth: "user",
  response: z.array(templateSchema),
});

export const listProjectsRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects",
  summary: "The caller's projects, newest first",
  tag,
  auth: "user",
  query: pagination,
  response: z.array(projectSchema),
});

export const createProjectRoute = defineRoute({
  method: "POST",
  path: "/api/v1/projects",
  summary: "Create a project from a template (name optional: a readable unique one is generated)",
  tag,
  auth: "user",
  body: z.strictObject({
    name: projectName.optional(),
    template: z.string().trim().min(1).max(100).default("static"),
    description: z.string().max(2000).optional(),
  }),
  response: projectSchema,
  successStatus: 201,
});

export const importNewProjectRoute = defineRoute({
  method: "POST",
  path: "/api/v1/projects/import",
  summary: "Create a project from a zip (multipart: file, optional name, template for run settings, description)",
  tag,
  auth: "user",
  bodyKind: "multipart",
  response: projectSchema.extend({ imported_files: z.number() }),
  successStatus: 201,
});

export const getProjectRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}",
  summary: "One project",
  tag,
  auth: "user",
  params: projectParams,
  response: projectSchema,
});

export const updateProjectRoute = defineRoute({
  method: "PATCH",
  path: "/api/v1/projects/{project_id}",
  summary: "Rename or re-describe a project (the slug stays)",
  tag,
  auth: "user",
  params: projectParams,
  body: z
    .strictObject({ name: projectName.optional(), description: z.string().max(2000).optional() })
    .refine((b) => b.name !== undefined || b.description !== undefined, { message: "Send name and/or description" }),
  response: projectSchema,
});

export const deleteProjectRoute = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project_id}",
  summary: "Delete a project: files, checkpoints, conversations and container",
  tag,
  auth: "user",
  params: projectParams,
  response: projectSchema,
});

const checkpointSchema = z.object({ id: z.string(), short_id: z.string(), message: z.string(), created_at: z.string(), parent: z.string().nullable() });
const checkpointId = z.string().trim().min(1).max(64);

export const historyRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/history",
  summary: "Checkpoints, newest first",
  tag: "Checkpoints",
  auth: "user",
  params: projectParams,
  query: pagination,
  response: z.array(checkpointSchema),
});

export const createCheckpointRoute = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/checkpoints",
  summary: "Record the current files as a checkpoint (data is null when nothing changed)",
  tag: "Checkpoints",
  auth: "user",
  params: projectParams,
  body: z.strictObject({ message: z.string().trim().max(500).default("Checkpoint") }),
  response: checkpointSchema.nullable(),
  successStatus: 201,
});

export const restoreRoute = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/restore",
  summary: "Bring the files back to a checkpoint as a new checkpoint on top (nothing newer is lost)",
  tag: "Checkpoints",
  auth: "user",
  params: projectParams,
  body: z.strictObject({ checkpoint: checkpointId }),
  response: z.object({ checkpoint: checkpointSchema, saved: z.string().nullable(), restored_from: z.string() }),
});

export const diffRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/diff",
  summary: "Unified diff (text/x-diff) between two checkpoints, or from a checkpoint to the current files (to omitted)",
  tag: "Checkpoints",
  auth: "user",
  params: projectParams,
  query: z.object({ from: checkpointId, to: checkpointId.optional() }),
  produces: "text/x-diff",
});

export const conversationMessageSchema = z.object({
  id: z.string(),
  session_id: z.string(),
  role: z.string(),
  content: z.string(),
  parts: z.unknown(),
  status: z.string(),
  model: z.string().nullable(),
  checkpoint_before: z.string().nullable(),
  checkpoint_after: z.string().nullable(),
  created_at: z.string(),
  undone_at: z.string().nullable(),
});

export const conversationsRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/conversations",
  summary: "The project's chat messages, oldest first (optionally one session); metadata lists the sessions",
  tag: "Conversations",
  auth: "user",
  params: projectParams,
  query: pagination.extend({ session_id: uuid.optional() }),
  response: z.array(conversationMessageSchema),
});

export const undoTurnRoute = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/conversations/{message_id}/undo",
  summary:
    "Undo an agent turn: the files go back to before it (as a new checkpoint); it and the file-changing turns after it are marked undone, and the model is told",
  tag: "Conversations",
  auth: "user",
  params: projectParams.extend({ message_id: uuid }),
  response: z.object({ checkpoint: checkpointSchema, restored_from: z.string(), undone: z.array(z.string()), undone_at: z.string() }),
});

export const projectsContracts: RouteContract[] = [
  listTemplatesRoute,
  listProjectsRoute,
  createProjectRoute,
  importNewProjectRoute,
  getProjectRoute,
  updateProjectRoute,
  deleteProjectRoute,
  historyRoute,
  createCheckpointRoute,
  restoreRoute,
  diffRoute,
  conversationsRoute,
  undoTurnRoute,
];
