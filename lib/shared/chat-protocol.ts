import { z } from "zod";

/**
 * The chat WebSocket protocol (`/api/v1/chat/stream/{project_id}`, alias `/ws/chat/{project_id}`), shared by
 * the server and the browser. Every frame has the guideline's shape `{ type, content, session_id, project_id,
 * metadata }`; server frames add `seq`.
 *
 * Sequence numbers: `seq` is per chat session, starts at 1 and increases by one for every frame of that
 * session's stream (message_received … completion). Frames that are not part of a session's stream (pong,
 * errors about a bad frame, project events such as file_changed/preview_ready, the resume acknowledgement)
 * carry `seq: null` and are never replayed.
 *
 * Resuming: after a reconnect, send `{ type: "resume", session_id, metadata: { last_seq } }` (or connect with
 * `?session_id=…&last_seq=…`). The server replays every buffered frame with `seq > last_seq`, then sends a
 * `status` frame with `metadata.state = "resumed"` (seq null) and continues live. If frames were evicted from
 * the bounded buffer (or the server restarted) an `error` with code `replay_gap` says so; reload the
 * conversation from `GET /api/v1/projects/{project_id}/conversations`.
 *
 * One turn at a time per project: a `user_message` while a turn runs on the same project gets an `error`
 * with code `busy` (nothing is queued); send `cancel` first or wait for `completion`. While an undo restores the
 * project's files (a moment), `busy` has `metadata.busy_with = "undo"`: send again shortly.
 */

export const MAX_USER_MESSAGE_CHARS = 100_000;
export const chatModes = ["build", "plan"] as const;
export type ChatMode = (typeof chatModes)[number];
/** Images one user message may carry (each uploaded first: POST /api/v1/projects/{project_id}/attachments). */
export const MAX_ATTACHMENTS_PER_MESSAGE = 4;

const uuid = z.uuid();
const id = uuid.nullable();

const serverBase = {
  content: z.string(),
  session_id: id,
  project_id: uuid,
  seq: z.number().int().min(1).nullable(),
};

export const usageSchema = z.object({
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cached_tokens: z.number().int(),
  total_tokens: z.number().int(),
});
export type Usage = z.infer<typeof usageSchema>;

/** An image attached to a user message; its bytes are at GET /api/v1/projects/{project_id}/attachments/{id}. */
export const attachmentSchema = z.object({
  id: z.string(),
  mime: z.enum(["image/png", "image/jpeg", "image/webp", "image/gif"]),
  size: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
});
export type AttachmentInfo = z.infer<typeof attachmentSchema>;

// ---- server → client ------------------------------------------------------------------------------------

export const messageReceivedFrame = z.object({
  type: z.literal("message_received"),
  ...serverBase,
  metadata: z.object({
    message_id: uuid,
    created_at: z.string(),
    model: z.string(),
    attachments: z.array(attachmentSchema).optional(),
    /** An automatic fix-up message Slipway sent after the previous turn left errors in the preview. */
    auto_fix: z.object({ attempt: z.number().int(), of: z.number().int() }).optional(),
    /** Present ("plan") when the message was sent in plan mode. */
    mode: z.literal("plan").optional(),
  }),
});

export const statusStates = [
  "thinking",
  "running_tool",
  "waiting_for_preview",
  "resumed",
  "container",
  "cancelling",
  "checking_preview",
  "auto_fix_stopped",
  /** Older turns are being summarised before the model is asked (the prompt would pass the model's budget). */
  "summarizing",
] as const;

/** Why the automatic fix-up turns stopped (status `auto_fix_stopped`). */
export const autoFixStopReasons = ["fixed", "attempts_used", "same_error", "token_budget", "user_message", "cancelled", "turn_failed", "no_preview"] as const;
export type AutoFixStopReason = (typeof autoFixStopReasons)[number];

export const statusFrame = z.object({
  type: z.literal("status"),
  ...serverBase,
  metadata: z.object({
    state: z.enum(statusStates),
    tool: z.string().optional(),
    step: z.number().int().optional(),
    /** For `container`: the container's state (stopped, starting, ready, crashed). */
    container: z.string().optional(),
    /** For `resumed`: how many frames were replayed and whether a turn is still running. */
    replayed: z.number().int().optional(),
    turn_active: z.boolean().optional(),
    /** For `auto_fix_stopped`: why, and how many fix-up turns ran. */
    reason: z.enum(autoFixStopReasons).optional(),
    attempts: z.number().int().optional(),
  }),
});

/** A text delta of the assistant's answer (`content` is the delta). */
export const agentResponseFrame = z.object({
  type: z.literal("agent_response"),
  ...serverBase,
  metadata: z.object({ step: z.number().int() }),
});

export const toolCallFrame = z.object({
  type: z.literal("tool_call"),
  ...serverBase,
  metadata: z.object({ tool_call_id: z.string(), tool: z.string(), input: z.unknown(), step: z.number().int() }),
});

export const toolResultFrame = z.object({
  type: z.literal("tool_result"),
  ...serverBase,
  metadata: z.object({ tool_call_id: z.string(), tool: z.string(), ok: z.boolean(), output: z.unknown(), step: z.number().int() }),
});

export const fileChangedFrame = z.object({
  type: z.literal("file_changed"),
  ...serverBase,
  metadata: z.object({
    path: z.string(),
    change: z.enum(["created", "modified", "deleted", "renamed"]),
    from: z.string().optional(),
    source: z.enum(["api", "agent", "container"]),
  }),
});

export const previewReadyFrame = z.object({
  type: z.literal("preview_ready"),
  ...serverBase,
  metadata: z.object({ url: z.string(), port: z.number().int().optional() }),
});

/** A browser runtime error of the dev preview (new or seen again), or `error: null` when the list cleared. */
export const previewErrorFrame = z.object({
  type: z.literal("preview_error"),
  ...serverBase,
  metadata: z.object({
    count: z.number().int().describe("Distinct errors the preview has now"),
    error: z
      .object({
        id: z.string(),
        kind: z.enum(["error", "unhandled_rejection", "console_error", "resource", "vite_overlay"]),
        message: z.string(),
        stack: z.string().nullable(),
        file: z.string().nullable(),
        line: z.number().int().nullable(),
        column: z.number().int().nullable(),
        first_seen: z.string(),
        last_seen: z.string(),
        count: z.number().int(),
      })
      .nullable(),
  }),
});

/** Agent turns the user undid (their file changes reverted), for every tab on the project to mark them. */
export const turnUndoneFrame = z.object({
  type: z.literal("turn_undone"),
  ...serverBase,
  metadata: z.object({ message_ids: z.array(uuid), undone_at: z.string(), checkpoint: z.string() }),
});

export const turnStatuses = ["complete", "cancelled", "failed"] as const;
export const stopReasons = ["done", "step_limit", "token_limit", "stuck", "cancelled", "error"] as const;

export const evidenceErrorSchema = z.object({
  fingerprint: z.string().describe("Equal for the same kind, message and place (as the preview errors list's ids)"),
  kind: z.string().describe("error, console_error, load, or a kind of the preview's own error reports"),
  message: z.string(),
  stack: z.string().nullable(),
  file: z.string().nullable(),
  line: z.number().int().nullable(),
});
export type EvidenceError = z.infer<typeof evidenceErrorSchema>;

/** What the running preview showed after a turn that changed files (headless Chromium, else an HTTP fetch). */
export const evidenceSchema = z.object({
  preview_status: z.number().int().nullable().describe("HTTP status of the page (null: it did not load)"),
  ok: z.boolean().describe("The page loaded with no errors"),
  mode: z.enum(["chromium", "http"]).describe("http: no Chromium on the server, so errors thrown in the browser were not seen"),
  errors: z.array(evidenceErrorSchema),
  screenshot_url: z.string().optional().describe("GET: a 1024x640 JPEG of the page (owner only)"),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const completionFrame = z.object({
  type: z.literal("completion"),
  ...serverBase,
  metadata: z.object({
    message_id: uuid,
    status: z.enum(turnStatuses),
    stop_reason: z.enum(stopReasons),
    model: z.string(),
    provider: z.string(),
    steps: z.number().int(),
    usage: usageSchema,
    cost_usd: z.number(),
    files_changed: z.array(z.string()),
    checkpoint_before: z.string().nullable(),
    checkpoint_after: z.string().nullable(),
    /** Present when the turn changed files and the project's preview was running. */
    evidence: evidenceSchema.optional(),
    /** For an automatic fix-up turn: which attempt of how many. */
    auto_fix: z.object({ attempt: z.number().int(), of: z.number().int() }).optional(),
    /** "plan" when the turn ran in plan mode (read-only tools; the answer is a plan the user can build). */
    mode: z.literal("plan").optional(),
  }),
});

export const errorCodes = [
  "invalid_frame",
  "busy",
  "not_found",
  "budget_exceeded",
  "llm_not_configured",
  "provider_error",
  "provider_timeout",
  "replay_gap",
  "model_lacks_vision",
  "internal",
] as const;
export type ChatErrorCode = (typeof errorCodes)[number];

export const errorFrame = z.object({
  type: z.literal("error"),
  ...serverBase,
  metadata: z.object({
    code: z.enum(errorCodes),
    /** Field problems of an invalid frame. */
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    /** For `busy`: the session whose turn is running. */
    active_session_id: z.string().optional(),
    /** For `busy`: what holds the project, an agent turn or an undo restoring its files (no completion frame follows an undo). */
    busy_with: z.enum(["agent", "undo"]).optional(),
    /** For `replay_gap`: the oldest sequence number still buffered (null when nothing is). */
    first_available_seq: z.number().int().nullable().optional(),
    /** For `model_lacks_vision`: a model that reads images. */
    suggested_model: z.string().optional(),
  }),
});

export const pongFrame = z.object({
  type: z.literal("pong"),
  ...serverBase,
  metadata: z.object({ time: z.string() }),
});

export const serverFrame = z.discriminatedUnion("type", [
  messageReceivedFrame,
  statusFrame,
  agentResponseFrame,
  toolCallFrame,
  toolResultFrame,
  fileChangedFrame,
  previewReadyFrame,
  previewErrorFrame,
  turnUndoneFrame,
  completionFrame,
  errorFrame,
  pongFrame,
]);
export type ServerFrame = z.infer<typeof serverFrame>;
export type ServerFrameType = ServerFrame["type"];
export type ServerFrameOf<T extends ServerFrameType> = Extract<ServerFrame, { type: T }>;

// ---- client → server ------------------------------------------------------------------------------------

const clientProjectId = uuid.optional().nullable();

export const userMessageFrame = z
  .strictObject({
    type: z.literal("user_message"),
    /** The text; may be empty when the message carries images. */
    content: z.string().trim().max(MAX_USER_MESSAGE_CHARS),
    /** Continue this session; omitted or null starts a new one. */
    session_id: uuid.optional().nullable(),
    project_id: clientProjectId,
    metadata: z
      .strictObject({
        model: z.string().min(1).max(200).optional(),
        /** Ids of uploaded images (POST /api/v1/projects/{project_id}/attachments) sent to the model with the text. */
        attachments: z
          .array(uuid)
          .max(MAX_ATTACHMENTS_PER_MESSAGE, `at most ${MAX_ATTACHMENTS_PER_MESSAGE} images per message`)
          .refine((ids) => new Set(ids.map((id) => id.toLowerCase())).size === ids.length, "must not name an image twice")
          .optional(),
        /**
         * "plan": the agent gets read-only tools (list, read, search, logs, preview) and answers with a plan; a
         * write is a tool error and no file changes. "build" (the default): the full tool set.
         */
        mode: z.enum(chatModes).optional(),
      })
      .optional(),
  })
  .refine((f) => f.content !== "" || (f.metadata?.attachments?.length ?? 0) > 0, { path: ["content"], message: "must not be empty" });

/** Cancels the running turn of `session_id` (or of whichever session runs on this project when omitted). */
export const cancelFrame = z.strictObject({
  type: z.literal("cancel"),
  content: z.string().optional(),
  session_id: uuid.optional().nullable(),
  project_id: clientProjectId,
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export const pingFrame = z.strictObject({
  type: z.literal("ping"),
  content: z.string().optional(),
  session_id: uuid.optional().nullable(),
  project_id: clientProjectId,
  metadata: z.record(z.string(), z.unknown()).optional(),
});

export const resumeFrame = z.strictObject({
  type: z.literal("resume"),
  content: z.string().optional(),
  session_id: uuid,
  project_id: clientProjectId,
  metadata: z.strictObject({ last_seq: z.number().int().min(0) }),
});

export const clientFrame = z.discriminatedUnion("type", [userMessageFrame, cancelFrame, pingFrame, resumeFrame]);
export type ClientFrame = z.infer<typeof clientFrame>;
