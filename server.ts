import "./lib/server/source-maps";
import nextEnv from "@next/env";
import compression from "compression";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import next from "next";

nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production");

async function main() {
  // Imported after the .env files are loaded: these modules read the environment.
  const { env, EnvError } = await import("./lib/env");
  const { log } = await import("./lib/log");
  let config: ReturnType<typeof env>;
  try {
    config = env();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`Slipway cannot start. ${error.message}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw error;
  }
  const started = performance.now();
  const { getDb, closeDb, DatabaseLockedError } = await import("./prisma-free-db/client");
  try {
    await getDb(config.DATABASE_DIR);
  } catch (error) {
    const message = error instanceof DatabaseLockedError ? error.message : `cannot open the database: ${(error as Error).message}`;
    process.stderr.write(`Slipway cannot start: ${message}\n`);
    process.exit(1);
  }
  await (await import("./lib/server/recovery")).recoverFromUncleanStop();
  const { stopAllTurns } = await import("./lib/chat/active-turns");
  const { applyCors } = await import("./lib/auth/cors");
  const { ApiError, errorBody } = await import("./lib/errors");
  const { requestIdFrom } = await import("./lib/http/node-error");
  const { rejectUnknownMethod } = await import("./lib/http/method-guard");
  const { rejectUndecodablePath } = await import("./lib/http/path-guard");
  const { handleUpgrade, isOurUpgradePath, closeAllSockets } = await import("./lib/realtime/upgrade");
  const { routeByHost, upgradeByHost } = await import("./lib/proxy/host-router");
  const { routeConnectionsByHost } = await import("./lib/proxy/connection-router");
  const { closeRelayedConnections } = await import("./lib/proxy/relay");
  const { warmLazyModules } = await import("./lib/server/routes");
  const { createApiDispatch } = await import("./lib/server/api-dispatch");
  (await import("./lib/containers/reconcile")).startContainerHousekeeping();
  const { removeUnusedProjectNetwork } = await import("./lib/containers/network");

  const dev = config.NODE_ENV !== "production";
  const app = next({ dev, hostname: config.HOST, port: config.PORT, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();
  // Production sends API requests straight to their route handlers, past Next's router (see lib/server/api-dispatch.ts).
  const nextConfig = (await import("./next.config")).default;
  const dispatchApi =
    dev || config.API_DISPATCH === "next" ? undefined : createApiDispatch({ distDir: nextConfig.distDir ?? ".next", hostname: config.HOST, port: config.PORT });

  // Instead of Next's own compression (off in next.config.ts): gzip level 1 compresses a 2 MiB file-tree
  // JSON ~3× faster than Next's level 6 for ~15% more bytes; on a self-hosted box CPU is the scarcer resource.
  const compress = compression({ level: 1 }) as unknown as (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // Next flushes a response's headers on their own right before writing its first chunk: one more socket write per
    // response. Left to that first write, they leave with it (same moment, one syscall).
    res.flushHeaders = () => undefined;
    if (routeByHost(req, res)) return;
    const path = req.url ?? "/";
    const api = path.startsWith("/api/") || path.startsWith("/health");
    if (api && applyCors(req, res)) return;
    if (rejectUndecodablePath(req, res)) return;
    if (api && rejectUnknownMethod(req, res)) return;
    const render = () =>
      (dispatchApi?.(req, res) ?? handle(req, res)).catch((error: unknown) => {
        const requestId = requestIdFrom(req.headers["x-request-id"]);
        log.error("request handler failed", { request_id: requestId, error });
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8", "x-request-id": requestId });
        res.end(JSON.stringify(errorBody(new ApiError("internal", "Internal server error"), requestId)));
      });
    // An API client that accepts no content coding gets the body as is, without the compressor's wrapping of the
    // response (an uncompressed answer is right for every client, so leaving out its Vary misleads no cache).
    // Pages and assets always go through it, so a cache in front keeps their compressed variants apart.
    if (api && !req.headers["accept-encoding"]) void render();
    else compress(req, res, render);
  });

  // Preview connections are relayed request by request without Node's HTTP objects (lib/proxy/relay.ts).
  routeConnectionsByHost(server);

  // Our WebSocket paths never reach Next's own upgrade listener (which would end them); in production
  // every other upgrade is destroyed, in development Next keeps its HMR socket.
  const emit = server.emit.bind(server) as (event: string, ...args: unknown[]) => boolean;
  server.emit = ((event: string, ...args: unknown[]) => {
    if (event === "upgrade") {
      const [req, socket, head] = args as [IncomingMessage, import("node:stream").Duplex, Buffer];
      if (upgradeByHost(req, socket, head)) return true;
      const pathname = new URL(req.url ?? "/", "http://internal").pathname;
      if (isOurUpgradePath(pathname)) {
        void handleUpgrade(req, socket, head);
        return true;
      }
      if (!dev) {
        socket.destroy();
        return true;
      }
    }
    return emit(event, ...args);
  }) as typeof server.emit;

  server.listen(config.PORT, config.HOST, () => {
    log.info("listening", { url: `http://${config.HOST}:${config.PORT}`, web_url: config.WEB_URL, dev, startup_ms: Math.round(performance.now() - started) });
    // A moment later, so the first requests are not queued behind the agent's module loading.
    setTimeout(() => void warmLazyModules().catch((error: unknown) => log.error("loading the chat agent failed", { error })), 1000).unref();
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    const force = setTimeout(() => {
      log.error("shutdown timed out; exiting");
      process.exit(1);
    }, 10_000);
    force.unref();
    // Running turns stop now and store their answers (marked failed) before the database closes.
    const turnsStopped = stopAllTurns(5000);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    closeAllSockets();
    closeRelayedConnections();
    server.closeIdleConnections();
    await Promise.race([closed, new Promise((r) => setTimeout(r, 3000))]);
    server.closeAllConnections();
    const turns = await turnsStopped;
    if (turns > 0) log.info("running turns stopped", { turns });
    // The headless browser that looks at previews (lib/preview/headless.ts), when one was launched.
    await Promise.race([import("./lib/preview/headless").then((h) => h.closeHeadless()), new Promise((r) => setTimeout(r, 2000))]);
    await closeDb();
    // Containers keep running across a restart (they are adopted on start), and with them their network.
    await Promise.race([removeUnusedProjectNetwork(), new Promise((r) => setTimeout(r, 2000))]);
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`Slipway failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
