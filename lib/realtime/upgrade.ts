import { randomUUID } from "node:crypto";
import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { resolveCaller, type Caller } from "@/lib/auth/caller";
import { ApiError, errorBody } from "@/lib/errors";
import { originAllowed } from "@/lib/auth/cors";
import { log } from "@/lib/log";
import { singleton } from "@/lib/shared/singleton";

/** Frames over this size close the socket with 1009. */
export const MAX_FRAME_BYTES = 1024 * 1024;

export interface SocketContext {
  caller: Caller;
  params: Record<string, string>;
  req: IncomingMessage;
}

export interface SocketRoute {
  pattern: RegExp;
  /** Checks that may refuse the upgrade (throw ApiError, e.g. 404 for a foreign project). */
  authorize?: (ctx: SocketContext) => Promise<void>;
  onConnection: (socket: WebSocket, ctx: SocketContext) => void;
}

const routes: SocketRoute[] = [];

/** Paths that server.ts hands to our WebSocket server rather than to Next. */
export function isOurUpgradePath(pathname: string): boolean {
  return pathname.startsWith("/api/v1/chat/stream/") || pathname.startsWith("/ws/") || routes.some((r) => r.pattern.test(pathname));
}

export function registerSocketRoute(route: SocketRoute) {
  routes.push(route);
}

export function webSocketServer(): WebSocketServer {
  return singleton("webSocketServer", () => new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES }));
}

/** Answers a refused upgrade with a plain HTTP response in the API's one error shape. */
function refuse(socket: Duplex, error: ApiError, requestId: string) {
  const text = JSON.stringify(errorBody(error, requestId));
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? "Error"}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nx-request-id: ${requestId}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/** Authenticates, checks the Origin, matches a route, then completes the WebSocket handshake. */
export async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  socket.on("error", () => undefined);
  const url = new URL(req.url ?? "/", "http://internal");
  try {
    if (!originAllowed(req.headers.origin, req.headers.host)) throw new ApiError("forbidden", "Origin not allowed");
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const protocolToken = url.searchParams.get("access_token");
    if (protocolToken && !headers.has("authorization")) headers.set("authorization", `Bearer ${protocolToken}`);
    const resolved = await resolveCaller(headers);
    if (!resolved.caller) throw new ApiError("unauthorized", "Sign in or send an API key");
    const match = routes.map((r) => ({ r, m: r.pattern.exec(url.pathname) })).find((x) => x.m);
    if (!match?.m) throw new ApiError("not_found", "No WebSocket endpoint here");
    const ctx: SocketContext = { caller: resolved.caller, params: { ...(match.m.groups ?? {}) }, req };
    await match.r.authorize?.(ctx);
    webSocketServer().handleUpgrade(req, socket, head, (ws) => match.r.onConnection(ws, ctx));
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError("internal", "Internal server error");
    const requestId = randomUUID();
    if (!(error instanceof ApiError)) log.error("upgrade failed", { module: "ws", request_id: requestId, error });
    log.info("upgrade refused", { module: "ws", request_id: requestId, path: url.pathname, status: apiError.status });
    refuse(socket, apiError, requestId);
  }
}

/** Closes every socket with 1001 (going away), for shutdown. */
export function closeAllSockets() {
  for (const client of webSocketServer().clients) client.close(1001, "server shutting down");
}
