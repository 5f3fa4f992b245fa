import type { ClientFrame, ServerFrame } from "./chat-protocol";

/**
 * The browser's one WebSocket per open project (`/api/v1/chat/stream/{project_id}`): chat frames plus the
 * project's events (file_changed, preview_ready). It reconnects with backoff and resumes the chat session
 * from the last sequence number it saw, so a dropped connection or a page reload loses no part of an answer.
 * Frames are trusted as typed (the server validates what it sends); only the types are imported, which
 * keeps zod out of the browser bundle.
 */

export type SocketState = "connecting" | "open" | "closed";

interface Resume {
  session_id: string;
  last_seq: number;
  /** The sequence number just before the running (or last) turn began. */
  turn_seq: number;
}

const storageKey = (projectId: string) => `slipway-chat-${projectId}`;

export class ProjectSocket {
  private ws: WebSocket | null = null;
  private closedByUs = false;
  private attempts = 0;
  private resumedOnce = false;
  /** The latest resume point, written to sessionStorage at most every 250 ms (every delta would be too often). */
  private pendingResume: Resume | null = null;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pinger: ReturnType<typeof setInterval> | undefined;
  private frameListeners = new Set<(f: ServerFrame) => void>();
  private stateListeners = new Set<(s: SocketState) => void>();
  state: SocketState = "connecting";

  constructor(readonly projectId: string) {}

  /** The session to resume and the last sequence number seen (kept in sessionStorage across reloads). */
  get resume(): Resume | null {
    if (this.pendingResume) return this.pendingResume;
    try {
      const raw = sessionStorage.getItem(storageKey(this.projectId));
      return raw ? (JSON.parse(raw) as Resume) : null;
    } catch {
      return null;
    }
  }

  private saveResume(r: Resume) {
    this.pendingResume = r;
    this.saveTimer ??= setTimeout(() => this.flushResume(), 250);
  }

  private flushResume = () => {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.pendingResume) return;
    try {
      sessionStorage.setItem(storageKey(this.projectId), JSON.stringify(this.pendingResume));
    } catch {
      /* storage unavailable: resume only within this page */
    }
  };

  onFrame(fn: (f: ServerFrame) => void) {
    this.frameListeners.add(fn);
    return () => void this.frameListeners.delete(fn);
  }

  onState(fn: (s: SocketState) => void) {
    this.stateListeners.add(fn);
    return () => void this.stateListeners.delete(fn);
  }

  connect() {
    this.closedByUs = false;
    window.addEventListener("pagehide", this.flushResume);
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${proto}//${location.host}/api/v1/chat/stream/${this.projectId}`);
    this.ws = ws;
    this.setState("connecting");
    ws.onopen = () => {
      this.attempts = 0;
      this.setState("open");
      // A fresh page replays the whole current turn (earlier turns come from the conversations API);
      // a reconnect within the page needs only what it missed.
      const r = this.resume;
      if (r) this.send({ type: "resume", session_id: r.session_id, metadata: { last_seq: this.resumedOnce ? r.last_seq : r.turn_seq } });
      this.resumedOnce = true;
      this.pinger = setInterval(() => this.send({ type: "ping" }), 25_000);
    };
    ws.onmessage = (ev) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(ev.data)) as ServerFrame;
      } catch {
        return;
      }
      if (frame.seq != null && frame.session_id) {
        const prev = this.resume;
        const turn_seq = frame.type === "message_received" ? frame.seq - 1 : prev?.session_id === frame.session_id ? prev.turn_seq : 0;
        this.saveResume({ session_id: frame.session_id, last_seq: frame.seq, turn_seq });
      }
      for (const fn of this.frameListeners) fn(frame);
    };
    ws.onclose = () => {
      clearInterval(this.pinger);
      if (this.ws !== ws) return;
      this.ws = null;
      this.setState("closed");
      if (!this.closedByUs) this.timer = setTimeout(() => this.connect(), Math.min(5000, 300 * 2 ** this.attempts++));
    };
  }

  /** Follows `sessionId` from its first frame on the next connect (a turn started elsewhere, e.g. by POST /projects). */
  follow(sessionId: string) {
    this.pendingResume = { session_id: sessionId, last_seq: 0, turn_seq: 0 };
    this.flushResume();
  }

  /** Starts a new chat session on the next message (the old one is no longer resumed). */
  forgetSession() {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.pendingResume = null;
    try {
      sessionStorage.removeItem(storageKey(this.projectId));
    } catch {
      /* nothing stored */
    }
  }

  send(frame: ClientFrame): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  close() {
    this.flushResume();
    window.removeEventListener("pagehide", this.flushResume);
    this.closedByUs = true;
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    this.ws?.close();
    this.ws = null;
  }

  private setState(s: SocketState) {
    this.state = s;
    for (const fn of this.stateListeners) fn(s);
  }
}
