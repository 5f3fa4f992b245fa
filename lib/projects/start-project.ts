import { checkImage, saveAttachment } from "@/lib/attachments/store";
import { visionRefusal } from "@/lib/chat/images";
import { serverTurnModule } from "@/lib/chat/turn-loader";
import { ApiError, type ErrorCode } from "@/lib/errors";
import { log } from "@/lib/log";
import type { ChatErrorCode } from "@/lib/shared/chat-protocol";
import { getDb } from "@/prisma-free-db/client";
import { projectNameTaken, type Project } from "@/prisma-free-db/queries/projects";
import { nameFromPrompt, randomSlugSuffix } from "./names";
import { createProject, deleteProject, requireTemplate } from "./service";
import { getTemplate } from "@/lib/templates/catalog";

const logger = log.child({ module: "projects" });

export interface StartProjectInput {
  ownerId: string;
  name?: string;
  template?: string;
  description?: string;
  /** The first message to the agent: with it, the project's first turn starts at once. */
  prompt?: string;
  model?: string;
  /** Images for the first turn (with a prompt only): stored as the new project's attachments. */
  images?: Array<{ bytes: Uint8Array; declaredType: string; fileName: string }>;
  start_container: boolean;
}

/** The template used when none is given: `static` without a prompt; with one, the first rule that matches it. */
export const DEFAULT_TEMPLATE = "static";
export const DEFAULT_PROMPT_TEMPLATE = "vite-react";

/**
 * The template a prompt gets when it names none. First match wins; otherwise `vite-react`:
 * a plain/static/simple/vanilla HTML page or site, or "no framework"/"no build" → `static`;
 * Next.js named → `nextjs`; a JSON/REST/HTTP API, an API server or a backend → `node-api`.
 */
const promptTemplateRules: Array<{ template: string; pattern: RegExp }> = [
  {
    template: "static",
    pattern: /\b(?:static|plain|simple|vanilla)\b.{0,40}\b(?:html|page|site|website)\b|\bhtml\s+(?:page|site)\b|\bno\s+(?:build|framework)\b/i,
  },
  { template: "nextjs", pattern: /\bnext(?:\.js|js)\b/i },
  { template: "node-api", pattern: /\b(?:json|rest|http)\s+api\b|\bapi\s+server\b|\bbackend\b/i },
];

export function templateForPrompt(prompt: string): string {
  const rule = promptTemplateRules.find((r) => r.pattern.test(prompt) && getTemplate(r.template));
  return rule?.template ?? DEFAULT_PROMPT_TEMPLATE;
}

/** The prompt's name, made unique among the owner's projects ("Todo app", "Todo app 2", …). */
async function nameForPrompt(ownerId: string, prompt: string): Promise<string | undefined> {
  const base = nameFromPrompt(prompt);
  if (!base) return undefined; // createProject generates a readable one
  const db = await getDb();
  for (let n = 1; n <= 20; n++) {
    const name = n === 1 ? base : `${base} ${n}`;
    if (!(await projectNameTaken(db, { ownerId, name }))) return name;
  }
  return `${base} ${randomSlugSuffix()}`;
}

/** How a refused first turn is answered: the chat's reason, with the REST status that fits it. */
const refusalStatus: Partial<Record<ChatErrorCode, ErrorCode>> = {
  llm_not_configured: "bad_request",
  model_lacks_vision: "bad_request",
  not_found: "not_found",
  busy: "conflict",
  budget_exceeded: "forbidden",
};

const refused = (reason: ChatErrorCode, message: string, extra?: Record<string, unknown>) =>
  new ApiError(refusalStatus[reason] ?? "internal", message, { ...extra, reason });

/**
 * POST /api/v1/projects: creates a project and starts its container in the background (unless `start_container`
 * is false). With a prompt, the project's first agent turn starts too and its session id is returned: the turn
 * streams into that session, which any chat socket can follow with a `resume` frame from seq 0. A prompt that
 * cannot run (no LLM configured, refused turn) leaves no project behind.
 */
export async function startProject(input: StartProjectInput): Promise<{ project: Project; sessionId: string | null }> {
  const { ownerId, prompt } = input;
  if (prompt === undefined) {
    const project = await createProject({
      ownerId,
      name: input.name,
      template: input.template ?? DEFAULT_TEMPLATE,
      description: input.description,
      startContainer: input.start_container,
    });
    return { project, sessionId: null };
  }
  const template = requireTemplate(input.template ?? templateForPrompt(prompt)).name;
  const turns = await serverTurnModule();
  const model = await turns.turnModel(ownerId, input.model);
  if ("refusal" in model) throw refused("llm_not_configured", model.refusal);
  // Refusals the images can cause come before anything is made (the container starts with the project).
  for (const image of input.images ?? []) checkImage(image);
  const blind = input.images?.length ? visionRefusal(model.model, model.provider.config.provider) : null;
  if (blind) throw refused(blind.code, blind.message, blind.extra);
  const project = await createProject({
    ownerId,
    name: input.name ?? (await nameForPrompt(ownerId, prompt)),
    template,
    description: input.description,
    startContainer: input.start_container,
  });
  let attachments: string[];
  try {
    attachments = [];
    for (const image of input.images ?? []) attachments.push((await saveAttachment({ projectId: project.id, userId: ownerId, ...image })).id);
  } catch (error) {
    await deleteProject(project);
    throw error;
  }
  let refusal: ApiError | undefined;
  let accepted = false;
  const started = await turns
    .startTurn({
      project,
      userId: ownerId,
      content: prompt,
      model: input.model,
      attachments,
      reject: (code, message, extra) => {
        if (!accepted) refusal = refused(code, message, extra);
        else logger.warn("the first turn of a new project failed", { project_id: project.id, code });
      },
      // No socket: the frames are kept in the session stream, and clients follow them with `resume`.
      attach: () => undefined,
    })
    .catch((error: unknown) => {
      refusal = new ApiError("internal", "Internal error: the prompt was not accepted.");
      logger.error("starting the first turn failed", { project_id: project.id, error });
      return null;
    });
  if (!started) {
    await deleteProject(project);
    throw refusal ?? new ApiError("internal", "Internal error: the prompt was not accepted.");
  }
  accepted = true;
  logger.info("project started from a prompt", { project_id: project.id, session_id: started.sessionId, template });
  return { project, sessionId: started.sessionId };
}
