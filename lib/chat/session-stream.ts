import { frameJson, type Unsequenced } from "./frame-json";
import type { SessionHistory } from "./session-history";
import { singleton } from "@/lib/shared/singleton";

/** Frames kept per session for replay after a reconnect (oldest dropped first). */
export const REPLAY_BUFFER_FRAMES = 4000;
/** A stream with no subscriber and no running turn is forgotten after this long. */
const IDLE_EVICT_MS = 30 * 60_000;

/** Receives each frame as the JSON text sent on the wire (serialized once, whatever the number of sockets). */
export type Subscriber = (json: string) => void;

/** What a turn needs to know of its session without reading the database. */
export interface SessionMemory {
  projectId: string;
  userId: string;
  /** What the model sees of earlier turns (summary and later messages), kept here so a turn needs no read first. */
  history: SessionHistory;
}

/**
 * One chat session's live stream: numbers its frames, keeps a bounded replay buffer, fans out to sockets. Frames
 * are kept as their JSON text: one string per frame instead of an object graph that every young-generation GC
 * would copy while 200 streams run.
 */
export class SessionStream {
  private seq = 0;
  /** Set once the session's owner and history were loaded from the database. */
  memory: SessionMemory | null = null;
  private buffer: Array<{ seq: number; json: string }> = [];
  private subscribers = new Set<Subscriber>();
  /** performance.now(), not Date.now(): Next wraps Date.now with its own bookkeeping, and this runs per frame. */
  lastActivity = performance.now();

  constructor(readonly sessionId: string) {}

  get lastSeq() {
    return this.seq;
  }

  /** Numbers `frame` and sends it to every subscriber. */
  emit(frame: Unsequenced): void {
    const json = frameJson(frame, ++this.seq);
    this.buffer.push({ seq: this.seq, json });
    if (this.buffer.length > REPLAY_BUFFER_FRAMES) this.buffer.splice(0, this.buffer.length - REPLAY_BUFFER_FRAMES);
    this.lastActivity = performance.now();
    for (const send of this.subscribers) send(json);
  }

  subscribe(send: Subscriber): () => void {
    this.subscribers.add(send);
    this.lastActivity = performance.now();
    return () => {
      this.subscribers.delete(send);
      this.lastActivity = performance.now();
    };
  }

  get subscriberCount() {
    return this.subscribers.size;
  }

  /** Frames (JSON) after `lastSeq`; `gap` when some of them are no longer buffered. */
  since(lastSeq: number): { frames: string[]; gap: boolean; firstAvailable: number | null } {
    const first = this.buffer[0]?.seq ?? null;
    const frames = this.buffer.filter((f) => f.seq > lastSeq).map((f) => f.json);
    // Beyond the last frame means the numbering restarted (server restart): everything before is gone.
    const gap = lastSeq > this.seq || (lastSeq < this.seq && (first === null || first > lastSeq + 1));
    return { frames, gap, firstAvailable: first };
  }
}

// One per process: server.ts (sockets) and the route bundles (REST cancel) load separate module copies.
function streams(): Map<string, SessionStream> {
  return singleton("sessionStreams", () => {
    setInterval(() => sweep(), 60_000).unref();
    return new Map<string, SessionStream>();
  });
}

export function sessionStream(sessionId: string): SessionStream {
  const map = streams();
  let stream = map.get(sessionId);
  if (!stream) {
    stream = new SessionStream(sessionId);
    map.set(sessionId, stream);
  }
  return stream;
}

export function existingSessionStream(sessionId: string): SessionStream | undefined {
  return streams().get(sessionId);
}

function sweep(isBusy: (sessionId: string) => boolean = () => false) {
  const now = performance.now();
  for (const [id, stream] of streams()) {
    if (stream.subscriberCount === 0 && now - stream.lastActivity > IDLE_EVICT_MS && !isBusy(id)) streams().delete(id);
  }
}
