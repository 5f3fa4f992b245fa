import { z } from "zod";

/**
 * The terminal WebSocket protocol (`/api/v1/projects/{project_id}/terminal`), shared by the server and the
 * browser. A shell runs in the project's container as the container user, in the project folder, on a TTY.
 *
 * Client → server: text frames, one JSON object each: `{type:"input", data}` (keystrokes, as typed) and
 * `{type:"resize", cols, rows}` (1..500 each). An initial size may also be given as `?cols=&rows=`.
 * Server → client: binary frames carry the TTY's output bytes; text frames are JSON control frames:
 * `{type:"ready"}` once the shell is attached, `{type:"error", message}` (a bad frame keeps the socket open;
 * a refusal such as too many terminals or a container that cannot run is followed by a close), and
 * `{type:"exit", code}` when the shell ends (then the server closes the socket).
 *
 * Output is throttled to `TERMINAL_OUTPUT_BYTES_PER_SECOND` (1 MiB/s): the server stops reading from the
 * shell (which then blocks on its writes) rather than dropping bytes; it also stops reading while the client
 * has not taken what was sent. A terminal closes after `TERMINAL_IDLE_MS` without input.
 */

export const TERMINAL_MAX_SIZE = 500;
export const TERMINAL_MAX_INPUT_CHARS = 64 * 1024;
/** Open terminals per user and project; one more is refused with an `error` frame and a close. */
export const TERMINAL_MAX_PER_PROJECT = 5;

const dimension = z.number().int().min(1).max(TERMINAL_MAX_SIZE);

export const terminalClientFrame = z.discriminatedUnion("type", [
  z.object({ type: z.literal("input"), data: z.string().min(1).max(TERMINAL_MAX_INPUT_CHARS) }),
  z.object({ type: z.literal("resize"), cols: dimension, rows: dimension }),
]);
export type TerminalClientFrame = z.infer<typeof terminalClientFrame>;

export type TerminalServerFrame = { type: "ready" } | { type: "error"; message: string } | { type: "exit"; code: number | null };

/** Close codes the server uses besides 1000 (the shell exited or the client closed). */
export const TERMINAL_CLOSE = {
  /** Refused: too many terminals, or the container cannot run. */
  refused: 4000,
  /** No input for TERMINAL_IDLE_MS. */
  idle: 4001,
} as const;
