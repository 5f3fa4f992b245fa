// The same custom-server pattern as Slipway's server.ts (node:http + Next's request handler), nothing else.
import { createServer } from "node:http";
import next from "next";

const app = next({ dev: false, dir: import.meta.dirname });
const handle = app.getRequestHandler();
await app.prepare();
createServer((req, res) => void handle(req, res)).listen(Number(process.env.PORT), "127.0.0.1", () => process.send?.("ready"));
