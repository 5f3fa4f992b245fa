import { z } from "zod";
import { attachmentSchema } from "@/lib/shared/chat-protocol";
import { defineRoute, type RouteContract } from "@/lib/api/contract";
import { templateManifest } from "@/lib/templates/manifest";
import { env } from "@/lib/env";
import { MAX_ATTACHMENTS_PER_MESSAGE, MAX_USER_MESSAGE_CHARS } from "@/lib/shared/chat-protocol";
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
  auto_fix: z.boolean().describe("After a turn that leaves new errors in the preview, up to 2 automatic fix-up turns run (default true)"),
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
  summary:
    "Create a project from a template and start its container in the background (start_container: false to skip). With a prompt, the project's first agent turn starts too: follow it on the chat socket with a resume frame for session_id from seq 0",
  tag,
  auth: "user",
  body: z
    .strictObject({
      name: projectName.optional().describe("Optional: without it a name is made from the prompt, or a readable unique one is generated"),
      template: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .optional()
        .describe(
          "Without it: static, or for a prompt the first rule that matches: a plain/static/simple/vanilla HTML page or site → static; Next.js → nextjs; a JSON/REST/HTTP API or backend → node-api; otherwise vite-react",
        ),
      description: z.string().max(2000).optional(),
      prompt: z
        .string()
        .trim()
        .min(1, "must not be empty")
        .max(MAX_USER_MESSAGE_CHARS)
        .optional()
        .describe("The first message to the agent, as on the chat socket"),
      model: z.string().trim().min(1).max(200).optional().describe("The model of the first turn (with prompt only); the server default otherwise"),
      start_container: z.boolean().default(true).describe("Start the dev server container now, without waiting for it (default true)"),
    })
    .refine((b) => b.model === undefined || b.prompt !== undefined, { message: "model needs a prompt", path: ["model"] }),
  response: projectSchema.extend({
    session_id: z.string().nullable().describe("The chat session of the first turn (null without a prompt)"),
  }),
  successStatus: 201,
});

/** Room for the prompt and the multipart framing around MAX_ATTACHMENTS_PER_MESSAGE images. */
const PROMPT_FORM_OVERHEAD = 4 * MAX_USER_MESSAGE_CHARS + 256 * 1024;

export const createProjectFromPromptRoute = defineRoute({
  method: "POST",
  path: "/api/v1/projects/from-prompt",
  summary:
    "POST /api/v1/projects with a prompt and images, as multipart: text fields prompt (required), template, name, model, description, start_container (true/false), and up to 4 image files in `images` (PNG, JPEG, WebP or GIF up to ATTACHMENT_MAX_BYTES each; checked as by the attachments route: 415, 413). The images go to the first turn as its attachments. Nothing is left behind when anything is refused",
  tag,
  auth: "user",
  bodyKind: "multipart",
  get maxBodyBytes() {
    return MAX_ATTACHMENTS_PER_MESSAGE * env().ATTACHMENT_MAX_BYTES + PROMPT_FORM_OVERHEAD;
  },
  response: createProjectRoute.response!,
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
  summary: "Rename or re-describe a project (the slug stays), or turn its automatic fix-up turns on or off",
  tag,
  auth: "user",
  params: projectParams,
  body: z
    .strictObject({ name: projectName.optional(), description: z.string().max(2000).optional(), auto_fix: z.boolean().optional() })
    .refine((b) => b.name !== undefined || b.description !== undefined || b.auto_fix !== undefined, { message: "Send name, description and/or auto_fix" }),
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
  response: z.array(
    checkpointSchema.extend({
      files_changed: z.number().int().describe("Files changed against the parent checkpoint"),
      paths: z.array(z.string()).describe("The changed paths (at most 50)"),
      additions: z.number().int(),
      deletions: z.number().int(),
      prompt: z.string().nullable().describe("The chat request whose turn made this checkpoint; null when no turn did"),
      session_id: z.string().nullable(),
      message_id: z.string().nullable().describe("The assistant message of that turn"),
    }),
  ),
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
  query: z.object({
    from: checkpointId,
    to: checkpointId.optional(),
    context: z.coerce.number().int().min(0).max(1_000_000).default(3).describe("Lines of context around each change (a large number gives whole files)"),
  }),
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
  mode: z.enum(["plan"]).nullable().describe('"plan" for a plan-mode message and its answer (read-only tools, answered with a plan); null for a build turn'),
  /** The images a user message carried (also its `image` parts); bytes at GET …/attachments/{id}. */
  attachments: z.array(attachmentSchema),
});

export const conversationsRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/conversations",
  summary:
    "The project's chat messages, oldest first (optionally one session); metadata lists the sessions. Pages by `offset`, or by cursor: `latest=true` gives the newest `limit` messages and `before={message_id}` the ones just older than that message (metadata `has_more`, `next_before`)",
  tag: "Conversations",
  auth: "user",
  params: projectParams,
  query: pagination.extend({
    session_id: uuid.optional(),
    before: uuid.optional().describe("Cursor: the page of messages just older than this message (oldest first within the page)"),
    latest: z.enum(["true", "false"]).optional().describe("true: the newest page (cursor paging without a cursor yet)"),
  }),
  response: z.array(conversationMessageSchema),
});

export const chatSessionSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  created_at: z.string(),
  updated_at: z.string().describe("The newest message's time (or the session's creation)"),
  message_count: z.number(),
  last_message_preview: z.string().nullable().describe("The first 120 characters of the newest message"),
});

export const listSessionsRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/sessions",
  summary: "The caller's chat sessions of the project, newest activity first, with message counts and a preview of the last message",
  tag: "Conversations",
  auth: "user",
  params: projectParams,
  query: pagination,
  response: z.array(chatSessionSummarySchema),
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
  createProjectFromPromptRoute,
  importNewProjectRoute,
  getProjectRoute,
  updateProjectRoute,
  deleteProjectRoute,
  historyRoute,
  createCheckpointRoute,
  restoreRoute,
  diffRoute,
  conversationsRoute,
  listSessionsRoute,
  undoTurnRoute,
];
