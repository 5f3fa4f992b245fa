import net from "node:net";
import type { Duplex } from "node:stream";
import { ChunkedBody } from "./chunked-body";
import { MAX_HEAD_BYTES, headEnd, headerValues, parseRequestHead, parseResponseHead, type RequestHead, type ResponseHead } from "./http1-head";
import type { HttpServerAccess } from "./host-router";
import type { ProxyTarget } from "./reverse-proxy";

/**
 * A keep-alive connection relayed request by request at the byte level, without Node's HTTP objects. Each request
 * head is parsed and offered to the policy (`admit`): an admitted request is rewritten and written to one upstream
 * connection that belongs to this client connection, and its answer streams back unchanged (answer heads and body
 * framing are followed to know where each ends), except HTML pages that `transformHtml` rewrites. A request the
 * policy does not admit (our own paths, a missing grant, a dev server not ready, a method with a body) goes as sent
 * to the HTTP server over an in-process connection, which answers it as for any request; the relay carries on with
 * the next one. Only what the relay cannot frame (a chunked request body, an upgrade, `Expect`, a head outside the
 * plain subset) gives the HTTP server the client connection itself, once the answers in flight are out, with its
 * unread bytes put back. See docs/architecture.md, "The preview proxy".
 */

export interface Admission {
  target: ProxyTarget;
  /** The request head to send upstream (latin1), blank line included. */
  head: string;
  /** Rewrites 2xx uncompressed HTML answers to GET requests. */
  transformHtml?: (html: string) => string;
  /** Runs when the answer has been relayed. */
  onDone?: () => void;
}

export interface RelayPolicy {
  /** The request's admission to the relay's upstream; undefined sends it to the HTTP server. */
  admit(head: RequestHead, client: net.Socket): Admission | undefined | Promise<Admission | undefined>;
  /** The HTTP server: in-process connections to it, and where a client connection goes when the relay lets go. */
  http: HttpServerAccess;
  /** The text of the 502 sent when an upstream answer is malformed before any of it was relayed. */
  badGateway(reason: string): string;
}

/** Requests written upstream before their answers (pipelining) at most; reading the client waits beyond it. */
const MAX_IN_FLIGHT = 16;
/** Idle time between requests before the connection is closed, as Node's `server.keepAliveTimeout` default. */
const KEEP_ALIVE_MS = 5000;
const HTTP_SERVER = "http-server";

interface InFlight {
  method: string;
  /** The request head as the client sent it, when replaying it to the HTTP server is safe (GET/HEAD, no body). */
  replay: Buffer | undefined;
  admission: Admission | undefined;
  /** Some of its answer has come from the upstream. */
  started: boolean;
}

type Body = { kind: "none" } | { kind: "length"; remaining: number } | { kind: "chunked"; chunked: ChunkedBody } | { kind: "close" };

const relayed = new Set<net.Socket>();

/** Relays `client`, whose first bytes (`first`, already read) start a request head. */
export function relayConnection(client: net.Socket, first: Buffer, policy: RelayPolicy): void {
  new Relay(client, policy).start(first);
}

/** Closes every relayed connection (shutdown). */
export function closeRelayedConnections(): void {
  for (const socket of relayed) socket.destroy();
}

/** The answer to `method` has no body (HEAD, 1xx, 204, 304), or how its end is found (RFC 9112 §6.3). */
function answerBody(head: ResponseHead, method: string): Body | undefined {
  if (method === "HEAD" || head.status < 200 || head.status === 204 || head.status === 304) return { kind: "none" };
  const encoding = headerValues(head.headers, "transfer-encoding");
  if (encoding.length) return /(?:^|,)\s*chunked\s*$/i.test(encoding.join(",")) ? { kind: "chunked", chunked: new ChunkedBody() } : { kind: "close" };
  const length = contentLength(head.headers);
  if (length === undefined) return { kind: "close" };
  return length === 0 ? { kind: "none" } : length > 0 ? { kind: "length", remaining: length } : undefined;
}

/** The Content-Length, undefined without one, -1 when it is malformed or repeated with another value. */
function contentLength(headers: RequestHead["headers"]): number | undefined {
  const values = new Set(headerValues(headers, "content-length").flatMap((v) => v.split(",").map((s) => s.trim())));
  if (values.size === 0) return undefined;
  const [value] = [...values];
  return values.size === 1 && /^\d{1,15}$/.test(value!) ? Number(value) : -1;
}

/** The request's body length when the relay can frame it (none or Content-Length), else undefined. */
function requestBodyLength(head: RequestHead): number | undefined {
  for (const h of head.headers) {
    if (h.name === "transfer-encoding" || h.name === "upgrade" || h.name === "expect") return undefined;
    if (h.name === "connection" && /\bupgrade\b/i.test(h.value)) return undefined;
  }
  const length = contentLength(head.headers) ?? 0;
  return length >= 0 && head.method !== "CONNECT" ? length : undefined;
}

function rewritableHtml(head: ResponseHead): boolean {
  const type = headerValues(head.headers, "content-type")[0] ?? "";
  const encoding = headerValues(head.headers, "content-encoding");
  return (
    /^text\/html\b/i.test(type) && (encoding.length === 0 || (encoding.length === 1 && encoding[0] === "identity")) && head.status >= 200 && head.status < 300
  );
}

const DROPPED_FROM_REWRITTEN = new Set(["content-length", "transfer-encoding", "etag", "last-modified"]);

class Relay {
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of the current request's body still to pass upstream. */
  private bodyLeft = 0;
  private readonly inFlight: InFlight[] = [];
  private upstream: Duplex | undefined;
  private upstreamKey = "";
  private answer: Buffer = Buffer.alloc(0);
  private body: Body | undefined;
  private closesAfter = false;
  private html: { head: ResponseHead; data: Buffer[] } | undefined;
  /** Why reading waits, if it does: an admission being decided, the answers in flight (to switch upstream), drain. */
  private waiting: "admission" | "answers" | "drain" | undefined;
  private handingOff = false;
  private clientEnded = false;
  private done = false;

  constructor(
    private readonly client: net.Socket,
    private readonly policy: RelayPolicy,
  ) {}

  start(first: Buffer) {
    relayed.add(this.client);
    this.client.setNoDelay(true);
    this.client.setTimeout(KEEP_ALIVE_MS);
    this.client.on("data", this.onClientData);
    this.client.on("end", this.onClientEnd);
    this.client.on("timeout", this.onClientTimeout);
    this.client.on("error", this.closeAll);
    this.client.on("close", this.closeAll);
    this.onClientData(first);
  }

  private readonly onClientData = (chunk: Buffer) => {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pump();
  };

  /** Passes on request bodies and admits and forwards every complete request head read so far. */
  private pump() {
    while (!this.handingOff && !this.done && !this.waiting) {
      if (this.bodyLeft > 0) {
        if (!this.passBody()) return;
        continue;
      }
      if (this.inFlight.length >= MAX_IN_FLIGHT) return void this.client.pause();
      if (this.pending.length === 0) return;
      const end = headEnd(this.pending);
      if (end < 0 || end > MAX_HEAD_BYTES) {
        if (this.pending.length > MAX_HEAD_BYTES) this.handOff();
        return;
      }
      const head = parseRequestHead(this.pending, end);
      const bodyLength = head && requestBodyLength(head);
      if (!head || bodyLength === undefined) return this.handOff();
      const admission = this.policy.admit(head, this.client);
      if (admission instanceof Promise) {
        this.wait("admission");
        admission.then(
          (admitted) => {
            if (this.done || this.handingOff) return;
            this.waiting = undefined;
            if (this.forward(head, end, bodyLength, admitted)) this.readOn();
          },
          () => this.closeAll(),
        );
        return;
      }
      if (!this.forward(head, end, bodyLength, admission)) return;
    }
  }

  private wait(reason: NonNullable<Relay["waiting"]>) {
    this.waiting = reason;
    this.client.pause();
  }

  private readOn() {
    this.waiting = undefined;
    if (this.done || this.handingOff) return;
    this.client.resume();
    this.pump();
  }

  /**
   * Writes a request head upstream: the admitted rewritten head to the relay's upstream, or the head as sent to the
   * HTTP server. False when it has to wait for the answers in flight on the other upstream (it is asked again then).
   */
  private forward(head: RequestHead, end: number, bodyLength: number, admission: Admission | undefined): boolean {
    const key = admission ? `${admission.target.host}:${admission.target.port}` : HTTP_SERVER;
    if (this.upstream && this.upstreamKey !== key) {
      if (this.inFlight.length) {
        this.wait("answers"); // answers come back in order, so one upstream at a time
        return false;
      }
      this.dropUpstream();
    }
    const upstream = this.upstream ?? this.connect(admission, key);
    const raw = this.pending.subarray(0, end);
    upstream.write(admission ? Buffer.from(admission.head, "latin1") : raw);
    const replayable = bodyLength === 0 && (head.method === "GET" || head.method === "HEAD");
    this.inFlight.push({ method: head.method, replay: replayable ? raw : undefined, admission, started: false });
    this.pending = this.pending.subarray(end);
    this.bodyLeft = bodyLength;
    return true;
  }

  /** Passes on what has arrived of the current request's body; false when reading has to wait. */
  private passBody(): boolean {
    const upstream = this.upstream;
    if (!upstream) {
      this.closeAll();
      return false;
    }
    const n = Math.min(this.bodyLeft, this.pending.length);
    if (n === 0) return false;
    const flowing = upstream.write(this.pending.subarray(0, n));
    this.pending = this.pending.subarray(n);
    this.bodyLeft -= n;
    if (!flowing) {
      this.wait("drain");
      upstream.once("drain", () => this.readOn());
      return false;
    }
    return true;
  }

  private connect(admission: Admission | undefined, key: string): Duplex {
    const upstream = admission ? net.connect({ host: admission.target.host, port: admission.target.port, noDelay: true }) : this.policy.http.open(this.client);
    upstream.on("data", (chunk: Buffer) => this.onUpstreamData(upstream, chunk));
    upstream.on("end", () => this.onUpstreamGone(upstream));
    upstream.on("error", () => this.onUpstreamGone(upstream));
    upstream.on("close", () => this.onUpstreamGone(upstream));
    this.upstream = upstream;
    this.upstreamKey = key;
    this.answer = Buffer.alloc(0);
    this.body = undefined;
    return upstream;
  }

  private dropUpstream() {
    const upstream = this.upstream;
    this.upstream = undefined;
    upstream?.destroy();
  }

  private onUpstreamData(upstream: Duplex, chunk: Buffer) {
    if (upstream !== this.upstream) return;
    const buf = this.answer.length ? Buffer.concat([this.answer, chunk]) : chunk;
    this.answer = Buffer.alloc(0);
    const out: Buffer[] = [];
    let i = 0;
    while (i < buf.length && upstream === this.upstream) {
      const current = this.inFlight[0];
      if (!current) return this.fail("an answer nobody asked for", out);
      current.started = true;
      if (!this.body) {
        const rest = i ? buf.subarray(i) : buf;
        const end = headEnd(rest);
        if (end < 0) {
          if (rest.length > MAX_HEAD_BYTES) return this.fail("answer head too large", out);
          this.answer = Buffer.from(rest);
          break;
        }
        const head = parseResponseHead(rest, end);
        const body = head && head.status !== 101 ? answerBody(head, current.method) : undefined;
        if (!head || !body) return this.fail("malformed answer head", out);
        i += end;
        if (head.status < 200) {
          out.push(rest.subarray(0, end)); // 100 Continue, 103 Early Hints: the answer's head follows
          continue;
        }
        if (current.admission?.transformHtml && current.method === "GET" && rewritableHtml(head)) this.html = { head, data: [] };
        else out.push(rest.subarray(0, end));
        this.body = body;
        this.closesAfter = head.closes;
        if (body.kind === "none") this.finishAnswer(out);
        continue;
      }
      const body = this.body;
      const take = (piece: Buffer) => (this.html ? this.html.data.push(piece) : out.push(piece));
      if (body.kind === "length") {
        const n = Math.min(body.remaining, buf.length - i);
        take(buf.subarray(i, i + n));
        body.remaining -= n;
        i += n;
        if (body.remaining === 0) this.finishAnswer(out);
      } else if (body.kind === "chunked") {
        const next = body.chunked.read(buf, i, this.html ? take : undefined);
        if (next < 0) return this.fail("malformed chunked answer", out);
        if (!this.html) out.push(buf.subarray(i, next));
        i = next;
        if (body.chunked.done) this.finishAnswer(out);
      } else {
        take(buf.subarray(i)); // ends when the upstream closes
        i = buf.length;
      }
    }
    this.send(out);
    if (upstream !== this.upstream && this.inFlight.length) return this.replayUnanswered();
    this.afterAnswers();
  }

  /** Ends the current answer: a rewritten HTML page is written now; the request leaves the in-flight list. */
  private finishAnswer(out: Buffer[]) {
    const html = this.html;
    const request = this.inFlight.shift()!;
    if (html) {
      const text = request.admission!.transformHtml!(Buffer.concat(html.data).toString("utf8"));
      const page = Buffer.from(text, "utf8");
      let head = html.head.statusLine + "\r\n";
      for (const h of html.head.headers) if (!DROPPED_FROM_REWRITTEN.has(h.name)) head += h.raw + "\r\n";
      out.push(Buffer.from(`${head}Content-Length: ${page.length}\r\n\r\n`, "latin1"), page);
    }
    this.html = undefined;
    this.body = undefined;
    request.admission?.onDone?.();
    if (this.closesAfter) {
      // The upstream closes after this answer: requests already sent are replayed, later ones reconnect.
      this.closesAfter = false;
      const upstream = this.upstream;
      this.upstream = undefined;
      upstream?.end();
    }
  }

  private send(out: Buffer[]) {
    if (out.length === 0 || this.client.destroyed) return;
    if (out.length === 1) this.client.write(out[0]!);
    else {
      this.client.cork();
      for (const piece of out) this.client.write(piece);
      this.client.uncork();
    }
    const upstream = this.upstream;
    if (upstream && this.client.writableNeedDrain && !upstream.isPaused()) {
      upstream.pause();
      this.client.once("drain", () => upstream.resume());
    }
  }

  /** After answers went out: end or hand off when that was waited for, else read on if reading waited for them. */
  private afterAnswers() {
    if (this.done) return;
    if (this.inFlight.length > 0) return;
    if (this.clientEnded) return this.closeAll();
    if (this.handingOff) return this.detach();
    if (this.waiting === "answers") return this.readOn(); // switching upstream
    if (this.client.isPaused() && !this.waiting) {
      this.client.resume();
      this.pump();
    }
  }

  private onUpstreamGone(upstream: Duplex) {
    if (upstream !== this.upstream || this.done) return;
    this.upstream = undefined;
    if (this.body?.kind === "close") {
      const out: Buffer[] = [];
      this.finishAnswer(out);
      this.send(out);
      this.done = true;
      this.client.end(); // the close is what ends that answer for the client too
      relayed.delete(this.client);
      return;
    }
    if (this.inFlight.length === 0 && this.answer.length === 0 && this.bodyLeft === 0) return this.afterAnswers(); // reconnect on use
    this.replayUnanswered();
  }

  /**
   * The upstream went away with requests unanswered: when none of their answers began and all may be replayed, they
   * go back in front of the unread bytes and the HTTP server gets the connection; otherwise the connection drops.
   */
  private replayUnanswered() {
    const replays = this.inFlight.map((r) => r.replay);
    if (this.inFlight[0]?.started || this.bodyLeft > 0 || replays.some((r) => r === undefined)) return this.closeAll();
    this.pending = Buffer.concat([...(replays as Buffer[]), this.pending]);
    this.inFlight.length = 0;
    this.dropUpstream();
    this.handOff();
  }

  /** A malformed answer: a 502 when none of it was relayed yet (earlier answers go out first), else the connection drops. */
  private fail(reason: string, out: Buffer[]) {
    const nothingSent = this.inFlight.length > 0 && !this.html && this.body === undefined;
    this.send(out);
    this.dropUpstream();
    this.done = true;
    relayed.delete(this.client);
    if (!nothingSent) return void this.client.destroy();
    const text = Buffer.from(this.policy.badGateway(reason) + "\n", "utf8");
    this.client.end(
      Buffer.concat([
        Buffer.from(
          `HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${text.length}\r\nConnection: close\r\n\r\n`,
          "latin1",
        ),
        text,
      ]),
    );
  }

  private handOff() {
    this.handingOff = true;
    this.client.pause();
    if (this.inFlight.length === 0) this.detach();
  }

  private detach() {
    this.done = true;
    relayed.delete(this.client);
    this.dropUpstream();
    const client = this.client;
    client.off("data", this.onClientData);
    client.off("end", this.onClientEnd);
    client.off("timeout", this.onClientTimeout);
    client.off("error", this.closeAll);
    client.off("close", this.closeAll);
    client.setTimeout(0);
    if (this.pending.length) client.unshift(this.pending);
    this.pending = Buffer.alloc(0);
    this.policy.http.handOff(client);
  }

  /** The client sent all it will send: the answers in flight go out, then the connection ends. */
  private readonly onClientEnd = () => {
    this.clientEnded = true;
    if (this.inFlight.length === 0) this.closeAll();
  };

  private readonly onClientTimeout = () => {
    if (this.inFlight.length > 0 || this.handingOff || this.waiting) return; // an answer is coming: its time is its own
    if (this.pending.length && this.bodyLeft === 0)
      this.handOff(); // a head still arriving: the HTTP server's timeouts take over
    else this.closeAll();
  };

  private readonly closeAll = () => {
    if (this.done) return;
    this.done = true;
    relayed.delete(this.client);
    this.dropUpstream();
    if (this.clientEnded && !this.client.destroyed) this.client.end();
    else this.client.destroy();
  };
}
