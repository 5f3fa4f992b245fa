import type { Server } from "node:http";
import type { Socket } from "node:net";
import { duplexPair, type Duplex } from "node:stream";
import { connectionByHost, type HttpServerAccess } from "./host-router";
import { MAX_HEAD_BYTES, headEnd } from "./http1-head";

/** How long a new connection may take to send its first request head before the HTTP server gets it anyway. */
const FIRST_HEAD_MS = 5000;
const HOST = /\r\nhost:[ \t]*([^\r]*)/i;

/**
 * Reads each new connection's first request head before the HTTP server does, so a host route can take the whole
 * connection (the preview relay, lib/proxy/relay.ts); every other connection goes to the HTTP server with those bytes
 * put back, as if it had read them itself. The server keeps listening and tracking its connections as usual: its own
 * connection listener is wrapped, not replaced.
 */
export function routeConnectionsByHost(server: Server): void {
  const httpListeners = server.listeners("connection") as ((socket: Socket) => void)[];
  server.removeAllListeners("connection");
  const toHttp = (socket: Socket) => {
    for (const listener of httpListeners) listener.call(server, socket);
    socket.resume();
  };
  const http: HttpServerAccess = {
    handOff: toHttp,
    open(client) {
      const [ours, theirs] = duplexPair();
      // The two sides of a pair do not close together: either side's end is the connection's.
      ours.once("close", () => theirs.destroy());
      theirs.once("close", () => ours.destroy());
      // What request handlers read of the connection (X-Forwarded-For, logs) is the client's.
      Object.defineProperties(theirs, {
        remoteAddress: { value: client.remoteAddress },
        remotePort: { value: client.remotePort },
        encrypted: { value: false },
      });
      toHttp(theirs as Duplex as Socket);
      return ours;
    },
  };
  server.on("connection", (socket: Socket) => {
    let first: Buffer = Buffer.alloc(0);
    const decide = (end: number) => {
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("error", onError);
      socket.pause();
      const host = end > 0 ? HOST.exec(first.toString("latin1", 0, end))?.[1] : undefined;
      if (host && connectionByHost(socket, first, host, http)) return;
      if (first.length) socket.unshift(first);
      toHttp(socket);
    };
    const onData = (chunk: Buffer) => {
      first = first.length ? Buffer.concat([first, chunk]) : chunk;
      const end = headEnd(first);
      if (end > 0 || first.length > MAX_HEAD_BYTES) decide(end);
    };
    const onError = () => {
      clearTimeout(timer);
      socket.destroy();
    };
    const timer = setTimeout(() => decide(-1), FIRST_HEAD_MS);
    socket.on("data", onData);
    socket.on("error", onError);
    socket.once("close", () => clearTimeout(timer));
  });
}
