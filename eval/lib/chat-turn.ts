import WebSocket from "ws";
import { serverFrame, type ServerFrameOf } from "@/lib/shared/chat-protocol";
import type { Slipway } from "./project-api";

export type Completion = ServerFrameOf<"completion">["metadata"];

export type TurnOutcome = { ok: true; completion: Completion; ms: number } | { ok: false; error: string; ms: number };

/** Open chat sockets, so an interrupted run can close them. */
export const openSockets = new Set<WebSocket>();

/**
 * Sends `prompt` as a user would, on the project's chat WebSocket, and waits for the turn's `completion` (or an
 * `error` frame, the socket closing, or `timeoutMs`).
 */
export async function runTurn(slipway: Slipway, projectId: string, prompt: string, model: string | undefined, timeoutMs: number): Promise<TurnOutcome> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const ws = new WebSocket(`${slipway.server.url.replace(/^http/, "ws")}/api/v1/chat/stream/${projectId}`, {
    headers: { authorization: slipway.auth.authorization, origin: slipway.server.url },
  });
  openSockets.add(ws);
  try {
    return await new Promise<TurnOutcome>((resolve) => {
      const timer = setTimeout(() => resolve({ ok: false, error: `no completion within ${Math.round(timeoutMs / 1000)} s`, ms: ms() }), timeoutMs);
      const done = (outcome: TurnOutcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      ws.once("open", () => ws.send(JSON.stringify({ type: "user_message", content: prompt, ...(model ? { metadata: { model } } : {}) })));
      ws.once("unexpected-response", (_req, res) => done({ ok: false, error: `chat socket refused: ${res.statusCode}`, ms: ms() }));
      ws.on("error", (error) => done({ ok: false, error: `chat socket: ${error.message}`, ms: ms() }));
      ws.on("close", () => done({ ok: false, error: "chat socket closed before the turn completed", ms: ms() }));
      ws.on("message", (data) => {
        const parsed = serverFrame.safeParse(JSON.parse(data.toString()));
        if (!parsed.success) return;
        const frame = parsed.data;
        if (frame.type === "completion") done({ ok: true, completion: frame.metadata, ms: ms() });
        else if (frame.type === "error") done({ ok: false, error: `${frame.metadata.code}: ${frame.content}`, ms: ms() });
      });
    });
  } finally {
    openSockets.delete(ws);
    ws.close();
  }
}
