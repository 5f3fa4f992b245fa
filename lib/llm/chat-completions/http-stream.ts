import http from "node:http";
import https from "node:https";
import { ChunkReader } from "./chunk-reader";
import type { ModelPart } from "./model-part";
import { SseParser } from "./sse-parser";

/** One streamed Chat Completions request, as the main thread hands it to the I/O thread. */
export interface StreamRequest {
  url: string;
  headers: Record<string, string | number>;
  payload: string;
  /** The provider sending nothing for this long (before the headers or between chunks) fails the call. */
  idleTimeoutMs: number;
}

/** Why a request failed, as plain data (it crosses threads). */
export type StreamFailure =
  | { kind: "http"; status: number; message: string; body: string; headers: Record<string, string> }
  | { kind: "connect"; message: string }
  | { kind: "timeout"; message: string }
  | { kind: "closed"; message: string };

export interface StreamEvents {
  /** The provider answered 2xx; sent with the first parts (or the end), so a thread hop carries both. */
  response(): void;
  /** The parts of one network read, in order. */
  parts(parts: ModelPart[]): void;
  /** The stream ended normally (after its `finish` part). */
  end(): void;
  /** Before `response`: the request failed; after it: the stream broke off. */
  fail(failure: StreamFailure): void;
}

/** One connection pool per scheme for every provider call: keep-alive saves a TCP (and TLS) handshake per step. */
const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

const ERROR_BODY_LIMIT = 64 * 1024;
/** Each failure drops one dead connection from the pool; more than this many in a row is not a stale pool. */
const STALE_SOCKET_RETRIES = 3;

/**
 * Sends the request over node:http(s) and parses the event stream in the socket's data handler: the parts of
 * each read are delivered together, with no stream layers in between. Returns `cancel`, which closes the
 * connection and reports nothing more.
 */
export function streamChatCompletion(request: StreamRequest, events: StreamEvents): { cancel: () => void } {
  const url = new URL(request.url);
  const transport = url.protocol === "https:" ? https : http;
  const agent = agents[url.protocol as "http:" | "https:"];
  let req: http.ClientRequest;
  let settled = false;
  const finish = (report: () => void) => {
    if (settled) return;
    settled = true;
    clearTimeout(idle);
    report();
  };
  const idle = setTimeout(() => {
    finish(() => events.fail({ kind: "timeout", message: `The LLM provider sent nothing for ${request.idleTimeoutMs} ms` }));
    req.destroy();
  }, request.idleTimeoutMs);
  let responded = false;
  let staleRetries = STALE_SOCKET_RETRIES;

  const send = () => {
    const attempt = transport.request(url, { method: "POST", headers: request.headers, agent });
    req = attempt;
    attempt.on("error", (error: NodeJS.ErrnoException) => {
      // A pooled keep-alive connection that the provider closed while it sat idle fails before any response (the
      // usual race: it closed just as the request went out): the request goes again at once on another connection,
      // instead of failing into the agent's retry 2 s later.
      if (!responded && !settled && attempt.reusedSocket && staleRetries > 0 && (error.code === "ECONNRESET" || error.code === "EPIPE")) {
        staleRetries--;
        return send();
      }
      finish(() =>
        events.fail(responded ? { kind: "closed", message: error.message } : { kind: "connect", message: `Cannot connect to API: ${error.message}` }),
      );
    });
    attempt.on("response", onResponse);
    attempt.end(request.payload);
  };

  const onResponse = (res: http.IncomingMessage) => {
    idle.refresh();
    const status = res.statusCode ?? 0;
    res.setEncoding("utf8");
    res.on("error", () => undefined); // reported by "close"
    res.on("close", () => finish(() => events.fail({ kind: "closed", message: "The LLM provider closed the connection before the response ended." })));
    if (status < 200 || status >= 300) {
      let body = "";
      res.on("data", (s: string) => {
        idle.refresh();
        if (body.length < ERROR_BODY_LIMIT) body += s;
      });
      res.on("end", () => {
        let message = res.statusMessage || `HTTP ${status}`;
        try {
          message = (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? message;
        } catch {
          /* not JSON: keep the status text */
        }
        finish(() => events.fail({ kind: "http", status, message, body, headers: res.headers as Record<string, string> }));
      });
      return;
    }
    responded = true;
    let announced = false;
    let batch: ModelPart[] = [];
    const reader = new ChunkReader((part) => batch.push(part));
    const sse = new SseParser((data) => reader.data(data));
    const flush = () => {
      if (batch.length === 0) return;
      if (!announced) {
        announced = true;
        events.response();
      }
      const parts = batch;
      batch = [];
      events.parts(parts);
    };
    res.on("data", (s: string) => {
      if (settled) return;
      idle.refresh();
      sse.feed(s);
      flush();
    });
    res.on("end", () => {
      if (settled) return;
      sse.end();
      reader.end();
      flush(); // at least the finish part: the response is announced
      finish(() => events.end());
    });
  };

  send();
  return {
    cancel: () => {
      settled = true;
      clearTimeout(idle);
      req.destroy();
    },
  };
}
