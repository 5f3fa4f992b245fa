import http, { type IncomingMessage, type ServerResponse } from "node:http";
import net from "node:net";
import type { Duplex } from "node:stream";
import { env } from "@/lib/env";
import { singleton } from "@/lib/shared/singleton";

/**
 * The reverse proxy behind the hosts Slipway serves apart from the app: previews (a project's dev
 * server) and server-side deployments (a deployment's production server).
 */

export interface ProxyTarget {
  host: string;
  port: number;
}

const agent = () => singleton("proxyAgent", () => new http.Agent({ keepAlive: true, maxSockets: 256, keepAliveMsecs: 10_000 }));

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** A Cookie header without the named cookie (Slipway's own access cookie); undefined when nothing is left. */
export function withoutCookie(header: string | undefined, name: string): string | undefined {
  const cookies = header
    ?.split(";")
    .filter((c) => c.trim().split("=")[0] !== name)
    .join(";")
    .trim();
  return cookies || undefined;
}

/** The scheme the browser used, for `X-Forwarded-Proto`. */
export const forwardedProto = () => (/^https:/i.test(env().WEB_URL) ? "https" : "http");

/** The request's headers for the upstream: Slipway's own access cookie removed, forwarding headers set. */
export function forwardedHeaders(req: IncomingMessage, dropCookie: string): http.OutgoingHttpHeaders {
  const headers: http.OutgoingHttpHeaders = { ...req.headers };
  const cookies = withoutCookie(req.headers.cookie, dropCookie);
  if (cookies) headers.cookie = cookies;
  else delete headers.cookie;
  headers["x-forwarded-host"] = req.headers.host;
  headers["x-forwarded-proto"] = forwardedProto();
  headers["x-forwarded-for"] = req.socket.remoteAddress ?? "";
  return headers;
}

/** Whether an upstream answer is an uncompressed HTML page that a `transformHtml` hook may rewrite. */
function rewritableHtml(up: IncomingMessage): boolean {
  const type = String(up.headers["content-type"] ?? "");
  const encoding = String(up.headers["content-encoding"] ?? "identity");
  return /^text\/html\b/i.test(type) && encoding === "identity" && (up.statusCode ?? 0) >= 200 && (up.statusCode ?? 0) < 300;
}

/** Raw header pairs without the named headers (lower-case names). */
function withoutHeaders(raw: string[], names: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const [name, value] = [raw[i] ?? "", raw[i + 1] ?? ""];
    if (!names.includes(name.toLowerCase())) out.push(name, value);
  }
  return out;
}

/**
 * Streams the request to the target and its answer back. `onError` answers when the upstream fails
 * (nothing has been sent yet unless the answer broke off); `onDone` runs when the answer has been relayed.
 * With `transformHtml`, HTML pages are asked for uncompressed, read whole and rewritten by it.
 */
export function proxyHttp(
  req: IncomingMessage,
  res: ServerResponse,
  target: ProxyTarget,
  headers: http.OutgoingHttpHeaders,
  hooks: { onDone(): void; onError(error: NodeJS.ErrnoException): void; transformHtml?: (html: string) => string },
) {
  const transform = hooks.transformHtml;
  if (transform) headers = { ...headers, "accept-encoding": "identity" };
  const upstream = http.request({ host: target.host, port: target.port, method: req.method, path: req.url, headers, agent: agent() });
  upstream.on("response", (up) => {
    if (transform && req.method === "GET" && rewritableHtml(up)) {
      const chunks: Buffer[] = [];
      up.on("data", (c: Buffer) => chunks.push(c));
      up.on("end", () => {
        const body = Buffer.from(transform(Buffer.concat(chunks).toString("utf8")), "utf8");
        const raw = withoutHeaders(up.rawHeaders, ["content-length", "transfer-encoding", "etag", "last-modified"]);
        res.writeHead(up.statusCode ?? 200, up.statusMessage, [...raw, "content-length", String(body.length)]);
        res.end(body);
        hooks.onDone();
      });
      return;
    }
    res.writeHead(up.statusCode ?? 502, up.statusMessage, up.rawHeaders);
    up.pipe(res);
    up.on("end", hooks.onDone);
  });
  upstream.on("error", hooks.onError);
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy();
  });
  const bodiless = !req.headers["transfer-encoding"] && (req.headers["content-length"] === undefined || req.headers["content-length"] === "0");
  if (bodiless) upstream.end();
  else req.pipe(upstream);
}

/** Answers an upgrade request with a bare status line and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: string) {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Relays an upgrade (WebSocket) byte for byte; `onTraffic` runs on every chunk either way (idle tracking). */
export function proxyUpgrade(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
  target: ProxyTarget,
  headers: http.OutgoingHttpHeaders,
  onTraffic: () => void,
) {
  const lines = [`${req.method} ${req.url} HTTP/1.1`];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  const upstream = net.connect(target.port, target.host, () => {
    upstream.write(lines.join("\r\n") + "\r\n\r\n");
    if (head.length) upstream.write(head);
    upstream.pipe(socket);
    socket.pipe(upstream);
  });
  upstream.on("data", onTraffic);
  socket.on("data", onTraffic);
  const close = () => {
    upstream.destroy();
    socket.destroy();
  };
  upstream.on("error", close);
  socket.on("error", close);
  upstream.on("close", close);
  socket.on("close", close);
}
