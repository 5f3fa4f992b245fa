import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";

/**
 * Requests routed by Host header rather than path (project previews, deployments). Each handler
 * returns true when it took the request. Registered by lib/server/routes.ts.
 */
export interface HostRoute {
  name: string;
  request?: (req: IncomingMessage, res: ServerResponse) => boolean;
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;
  /**
   * Takes a whole connection before the HTTP server parses it (lib/proxy/connection-router.ts): `first` is the bytes
   * read so far (at least the first request head).
   */
  connection?: (socket: Socket, first: Buffer, host: string, http: HttpServerAccess) => boolean;
}

/** The HTTP server, for a route that took a connection. */
export interface HttpServerAccess {
  /** Gives it the connection after all (paused, with the bytes read put back with `unshift`). */
  handOff(socket: Socket): void;
  /** A new in-process connection to it on behalf of `client` (requests written to it are answered as the client's). */
  open(client: Socket): Duplex;
}

const hostRoutes: HostRoute[] = [];

export function registerHostRoute(route: HostRoute) {
  hostRoutes.push(route);
}

export function routeByHost(req: IncomingMessage, res: ServerResponse): boolean {
  return hostRoutes.some((r) => r.request?.(req, res));
}

export function upgradeByHost(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
  return hostRoutes.some((r) => r.upgrade?.(req, socket, head));
}

export function connectionByHost(socket: Socket, first: Buffer, host: string, http: HttpServerAccess): boolean {
  return hostRoutes.some((r) => r.connection?.(socket, first, host, http));
}
