import { describe, expect, it } from "vitest";
import type { ServerFrame } from "@/lib/shared/chat-protocol";
import {
  applyFrame,
  fromStored,
  initialChat,
  localUserMessage,
  textOf,
  withOlder,
  withStored,
  type ChatMessage,
  type ChatState,
} from "@/lib/client/chat-state";

const session_id = "6f1c1d2e-9d1e-4e9a-8f3e-1a2b3c4d5e6f";
const project_id = "7a1c1d2e-9d1e-4e9a-8f3e-1a2b3c4d5e6f";
const userId = "8b1c1d2e-9d1e-4e9a-8f3e-1a2b3c4d5e6f";
const answerId = "9c1c1d2e-9d1e-4e9a-8f3e-1a2b3c4d5e6f";
const base = { session_id, project_id };
const usage = { input_tokens: 300, output_tokens: 40, cached_tokens: 0, total_tokens: 340 };

/** One turn as the server replays it to a reloaded page: `status: resumed`, then the turn's frames in order. */
function replayedTurn(turnActive: boolean): ServerFrame[] {
  const deltas = ["First half. ", "Second ", "half."];
  return [
    { ...base, type: "status", content: "", seq: null, metadata: { state: "resumed", replayed: 6, turn_active: turnActive } },
    {
      ...base,
      type: "message_received",
      content: "Tell me",
      seq: 1,
      metadata: { message_id: userId, created_at: "2026-11-26T12:00:00Z", model: "gpt-4o-mini" },
    },
    { ...base, type: "status", content: "", seq: 2, metadata: { state: "thinking", step: 1 } },
    ...deltas.map((content, i): ServerFrame => ({ ...base, type: "agent_response", content, seq: 3 + i, metadata: { step: 1 } })),
    {
      ...base,
      type: "completion",
      content: "",
      seq: 6,
      metadata: {
        message_id: answerId,
        status: "complete",
        stop_reason: "done",
        model: "gpt-4o-mini",
        provider: "openai-compatible",
        steps: 1,
        usage,
        cost_usd: 0.0001,
        files_changed: [],
        checkpoint_before: null,
        checkpoint_after: null,
      },
    },
  ];
}

const storedUser: ChatMessage = { key: userId, id: userId, role: "user", blocks: [{ kind: "text", text: "Tell me" }], status: "complete" };
const storedAnswer: ChatMessage = {
  key: answerId,
  id: answerId,
  role: "assistant",
  blocks: [{ kind: "text", text: "First half. Second half." }],
  status: "complete",
};

const apply = (state: ChatState, frames: ServerFrame[]) => frames.reduce(applyFrame, state);

describe("chat state: the stored conversation and a replayed turn", () => {
  it("shows a finished turn exactly once, however the replay and the stored conversation interleave", () => {
    const frames = replayedTurn(false);
    for (let split = 0; split <= frames.length; split++) {
      const before = apply(initialChat, frames.slice(0, split));
      const state = apply(withStored(before, [storedUser, storedAnswer]), frames.slice(split));
      expect(
        state.messages.map((m) => [m.role, m.id, m.status]),
        `stored conversation after ${split} frames`,
      ).toEqual([
        ["user", userId, "complete"],
        ["assistant", answerId, "complete"],
      ]);
      expect(textOf(state.messages[1]!)).toBe("First half. Second half.");
      expect({ running: state.running, status: state.status, skipping: state.skipping }).toEqual({ running: false, status: null, skipping: false });
    }
  });

  it("follows a turn that is still running when only its user message is stored", () => {
    const frames = replayedTurn(true);
    for (let split = 0; split < frames.length; split++) {
      const before = apply(initialChat, frames.slice(0, split));
      const state = apply(withStored(before, [storedUser]), frames.slice(split));
      expect(
        state.messages.map((m) => [m.role, m.id, m.status]),
        `stored conversation after ${split} frames`,
      ).toEqual([
        ["user", userId, "complete"],
        ["assistant", answerId, "complete"],
      ]);
      expect(textOf(state.messages[1]!)).toBe("First half. Second half.");
    }
  });

  it("keeps a message still being sent and the next turn's frames after skipping a stored one", () => {
    const frames = replayedTurn(false);
    const sending: ChatMessage = { key: "local-1", role: "user", blocks: [{ kind: "text", text: "Next" }], status: "sending" };
    const replayed = apply(initialChat, frames.slice(0, 3));
    const merged = withStored({ ...replayed, messages: [...replayed.messages, sending] }, [storedUser, storedAnswer]);
    expect(merged.messages.map((m) => m.key)).toEqual([userId, answerId, "local-1"]);
    const nextId = "ad1c1d2e-9d1e-4e9a-8f3e-1a2b3c4d5e6f";
    const state = apply(merged, [
      ...frames.slice(3),
      {
        ...base,
        type: "message_received",
        content: "Next",
        seq: 7,
        metadata: { message_id: nextId, created_at: "2026-11-26T12:01:00Z", model: "gpt-4o-mini" },
      },
      { ...base, type: "agent_response", content: "Sure.", seq: 8, metadata: { step: 1 } },
    ]);
    expect(state.messages.map((m) => [m.role, m.status])).toEqual([
      ["user", "complete"],
      ["assistant", "complete"],
      ["user", "complete"],
      ["assistant", "streaming"],
    ]);
    expect(textOf(state.messages[3]!)).toBe("Sure.");
    expect(state.running).toBe(true);
  });

  it("marks the turns a turn_undone frame names, whichever tab undid them", () => {
    const state: ChatState = { ...initialChat, messages: [storedUser, storedAnswer] };
    const undoneAt = "2026-11-26T12:05:00.000Z";
    const next = applyFrame(state, {
      ...base,
      session_id: null,
      type: "turn_undone",
      content: "",
      seq: null,
      metadata: { message_ids: [answerId], undone_at: undoneAt, checkpoint: "abc1234" },
    });
    expect(next.messages.map((m) => m.undoneAt ?? null)).toEqual([null, undoneAt]);
    expect(next.messages[0]).toBe(storedUser);
  });
});

describe("chat state: images of a user message", () => {
  const image = { id: "ad1c1d2e-9d1e-4e9a-8f3e-1a2b3c4d5e6f", mime: "image/png" as const, size: 120, width: 4, height: 3 };

  it("takes them from message_received (another tab's message) and from the stored conversation", () => {
    const live = applyFrame(initialChat, {
      ...base,
      type: "message_received",
      content: "",
      seq: 1,
      metadata: { message_id: userId, created_at: "2026-11-26T12:00:00Z", model: "gpt-4o-mini", attachments: [image] },
    });
    expect(live.messages[0]).toMatchObject({ id: userId, role: "user", attachments: [image] });
    const stored = fromStored({
      id: userId,
      session_id,
      role: "user",
      content: "",
      parts: [],
      attachments: [image],
      status: "complete",
      model: null,
      checkpoint_before: null,
      checkpoint_after: null,
    });
    expect(stored.attachments).toEqual([image]);
  });

  it("shows on a stored answer why the auto-fix loop stopped after it, as the live status frame did", () => {
    const text = "Auto-fix stopped: the same error came back after a fix attempt.";
    const stored = fromStored({
      id: answerId,
      session_id,
      role: "assistant",
      content: "I cannot see a problem.",
      parts: [
        { type: "text", text: "I cannot see a problem." },
        { type: "auto_fix_stopped", reason: "same_error", attempts: 1, text },
      ],
      status: "complete",
      model: "m",
      checkpoint_before: null,
      checkpoint_after: null,
    });
    expect(stored.autoFixStopped).toBe(text);
    expect(textOf(stored)).toBe("I cannot see a problem.");
  });

  it("keeps the sending tab's own images when the server acknowledges the message", () => {
    const sending: ChatState = { ...initialChat, messages: [localUserMessage("look", undefined, [image])] };
    const acked = applyFrame(sending, {
      ...base,
      type: "message_received",
      content: "look",
      seq: 1,
      metadata: { message_id: userId, created_at: "2026-11-26T12:00:00Z", model: "m" },
    });
    expect(acked.messages[0]).toMatchObject({ id: userId, status: "complete", attachments: [image] });
  });
});

describe("chat state: older pages of the stored conversation", () => {
  const stored = (i: number) =>
    fromStored({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      session_id,
      role: i % 2 ? "assistant" : "user",
      content: `m${i}`,
      parts: null,
      status: "complete",
      model: null,
      checkpoint_before: null,
      checkpoint_after: null,
    });

  it("puts an older page in front, each message once, and leaves live messages at the end", () => {
    const newest = withStored({ ...initialChat, sessionId: session_id }, [2, 3, 4].map(stored));
    const live = { ...newest, messages: [...newest.messages, localUserMessage("still sending")] };
    // The older page overlaps the shown one by a message (a message stored between the two requests shifts pages).
    const next = withOlder(live, [0, 1, 2].map(stored));
    expect(next.messages.map(textOf)).toEqual(["m0", "m1", "m2", "m3", "m4", "still sending"]);
    expect(next.sessionId).toBe(session_id);
  });
});
