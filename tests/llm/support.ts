import type { StreamEvents, StreamFailure, StreamRequest } from "@/lib/llm/chat-completions/http-stream";

type StartStream = (request: StreamRequest, events: StreamEvents) => { cancel: () => void };

/** One raw provider stream started with `start`: when it answered, its text (or the failure), and its cancel. */
export function rawStream(start: StartStream, baseURL: string) {
  let responded!: () => void;
  const answered = new Promise<void>((resolve) => (responded = resolve));
  let out = "";
  let cancel!: () => void;
  const done = new Promise<string>((resolve, reject) => {
    ({ cancel } = start(
      {
        url: `${baseURL}/chat/completions`,
        headers: { "content-type": "application/json" },
        payload: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], stream: true }),
        idleTimeoutMs: 5000,
      },
      {
        response: responded,
        parts: (parts) => {
          for (const p of parts) if (p.type === "text-delta") out += p.delta;
        },
        end: () => resolve(out),
        fail: (failure: StreamFailure) => reject(new Error(`${failure.kind}: ${failure.message}`)),
      },
    ));
  });
  done.catch(() => undefined);
  return { answered, done, cancel };
}
