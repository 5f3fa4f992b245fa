/**
 * The LLM I/O thread: runs provider requests (socket reads, HTTP and SSE parsing, chunk JSON) off the main event
 * loop, which then only relays parts to the chat sockets; used when many streams are in flight (stream-dispatch.ts).
 * Messages: see io-thread.ts.
 */
import { parentPort } from "node:worker_threads";
import { streamChatCompletion } from "./http-stream";
import type { FromWorker, ToWorker } from "./io-thread";

const port = parentPort!;
const streams = new Map<number, { cancel: () => void }>();
// What happens during one turn of this thread's event loop reaches the main thread as one message: under load, the
// reads of many sockets, which the main thread then takes in one task instead of one each.
let outbox: FromWorker[] = [];
function post(message: FromWorker) {
  if (outbox.length === 0) setImmediate(flush);
  outbox.push(message);
}
function flush() {
  const batch = outbox;
  outbox = [];
  port.postMessage(batch);
}

port.on("message", (message: ToWorker) => {
  if (message.type === "cancel") {
    streams.get(message.id)?.cancel();
    streams.delete(message.id);
    return;
  }
  const { id } = message;
  streams.set(
    id,
    streamChatCompletion(message.request, {
      response: () => post({ type: "response", id }),
      parts: (parts) => post({ type: "parts", id, parts }),
      end: () => {
        streams.delete(id);
        post({ type: "end", id });
      },
      fail: (failure) => {
        streams.delete(id);
        post({ type: "fail", id, failure });
      },
    }),
  );
});
