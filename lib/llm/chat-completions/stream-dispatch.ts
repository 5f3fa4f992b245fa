import { streamChatCompletion, type StreamEvents, type StreamRequest } from "./http-stream";
import { ioThread, streamOnIoThread } from "./io-thread";

type StartStream = (request: StreamRequest, events: StreamEvents) => { cancel: () => void };

/**
 * Chooses the thread a provider stream is read and parsed on. While few streams are in flight they run on the main
 * thread: the I/O thread's two hops (request out, first chunk back) cost more time to the first token than the
 * parsing does (bench:chat 1b, 20 concurrent users: added p50 4.0–4.4 ms, against 5.3–6.2 ms with every stream on
 * the I/O thread). With many in flight, new streams go to the I/O thread, which keeps the main thread free to relay
 * frames (200 streams all on the main thread: added p95 of frame gaps up to 12 ms steady and 50 ms in a burst).
 * The cost: 20 turns sent in the same instant wait longer for their last first token (1a p99).
 */
export class StreamDispatch {
  private onMain = 0;

  constructor(
    private readonly mainThreadLimit: number,
    private readonly overflow: StartStream = streamOnIoThread,
  ) {}

  /** Streams running on the main thread now. */
  get mainThreadStreams(): number {
    return this.onMain;
  }

  readonly start: StartStream = (request, events) => {
    if (this.onMain >= this.mainThreadLimit) return this.overflow(request, events);
    this.onMain++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.onMain--;
    };
    const stream = streamChatCompletion(request, {
      response: events.response,
      parts: events.parts,
      end: () => {
        release();
        events.end();
      },
      fail: (failure) => {
        release();
        events.fail(failure);
      },
    });
    return {
      cancel: () => {
        release();
        stream.cancel();
      },
    };
  };
}

/** Up to this many streams at once are read on the main thread. */
export const MAIN_THREAD_STREAMS = 16;

let dispatch: StreamDispatch | undefined;

/** Starts a provider stream on the main thread or the LLM I/O thread (see StreamDispatch). */
export function startStream(request: StreamRequest, events: StreamEvents): { cancel: () => void } {
  if (!dispatch) {
    dispatch = new StreamDispatch(MAIN_THREAD_STREAMS);
    ioThread(); // started with the first stream, so it is ready when a burst of streams needs it
  }
  return dispatch.start(request, events);
}
