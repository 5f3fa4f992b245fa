import type { ServerFrame } from "@/lib/shared/chat-protocol";
import type { SessionStream } from "./session-stream";

export type EmitFrame = (frame: Omit<ServerFrame, "seq" | "session_id" | "project_id">) => void;

/**
 * The frames of one turn, into its session stream. Text deltas that arrive together (one network read can hold
 * many SSE events) go out as one frame, sent with the last of them: fewer frames and socket writes, and no delta
 * waits for anything that has not arrived. A step's first delta goes out at once, whatever follows it in the same
 * read: the user sees the answer start without waiting for the rest of the read to be processed.
 */
export function turnFrames(
  stream: SessionStream,
  sessionId: string,
  projectId: string,
): { emit: EmitFrame; emitText: (delta: string, step: number, more: boolean) => void } {
  let pendingText: { text: string; step: number } | null = null;
  const flushText = () => {
    if (!pendingText) return;
    const { text, step } = pendingText;
    pendingText = null;
    // A literal, not a spread: on Node 20 `{ ...base, more }` costs ~4 µs, once per text delta.
    stream.emit({ session_id: sessionId, project_id: projectId, type: "agent_response", content: text, metadata: { step } });
  };
  const emit: EmitFrame = (frame) => {
    flushText();
    stream.emit({ session_id: sessionId, project_id: projectId, ...frame } as never);
  };
  let textStep = 0;
  const emitText = (delta: string, step: number, more: boolean) => {
    if (pendingText && pendingText.step !== step) flushText();
    if (pendingText) pendingText.text += delta;
    else pendingText = { text: delta, step };
    if (!more || textStep !== step) {
      textStep = step;
      flushText();
    }
  };
  return { emit, emitText };
}
