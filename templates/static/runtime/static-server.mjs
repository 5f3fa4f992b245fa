// Slipway's dev server for the `static` template: serves the project folder (cwd) with no caching and
// reloads open pages when a file changes, over a WebSocket at /__livereload. Zero dependencies; Slipway
// mounts this file read-only into the project's container at /opt/slipway/static-server.mjs.
import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

const root = fs.realpathSync(process.cwd());
const port = Number(process.env.PORT || 3000);
const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
  ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp", ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8", ".woff2": "font/woff2", ".woff": "font/woff", ".map": "application/json",
};
const reloadScript = `<script>(()=>{const c=()=>{const w=new WebSocket((location.protocol==="https:"?"wss://":"ws://")+location.host+"/__livereload");w.onopen=()=>{document.documentElement.dataset.livereload="on";};w.onmessage=(e)=>{if(e.data==="reload")location.reload();};w.onclose=()=>setTimeout(c,1000);};c();})();</script>`;

function resolveFile(urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath.split("?")[0]);
  } catch {
    return undefined;
  }
  const file = path.resolve(root, "." + path.posix.normalize("/" + rel));
  if (file !== root && !file.startsWith(root + path.sep)) return undefined;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) return resolveFile(path.posix.join(rel, "index.html"));
    return file;
  } catch {
    return undefined;
  }
}

const server = http.createServer((req, res) => {
  const file = resolveFile(req.url || "/");
  if (!file || path.relative(root, file).split(path.sep).includes("node_modules")) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
    res.end("Not found\n");
    return;
  }
  const type = types[path.extname(file).toLowerCase()] || "application/octet-stream";
  const headers = { "content-type": type, "cache-control": "no-store" };
  if (type.startsWith("text/html")) {
    let html = fs.readFileSync(file, "utf8");
    html = html.includes("</body>") ? html.replace("</body>", `${reloadScript}</body>`) : html + reloadScript;
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : html);
    return;
  }
  res.writeHead(200, headers);
  if (req.method === "HEAD") res.end();
  else fs.createReadStream(file).on("error", () => res.destroy()).pipe(res);
});

// Minimal WebSocket (RFC 6455) server side: handshake, short text frames out, close/ping handling in.
const sockets = new Set();
const frame = (opcode, payload) => {
  const body = Buffer.from(payload);
  const head = body.length < 126 ? Buffer.from([0x80 | opcode, body.length]) : Buffer.from([0x80 | opcode, 126, body.length >> 8, body.length & 255]);
  return Buffer.concat([head, body]);
};
server.on("upgrade", (req, socket) => {
  const key = req.headers["sec-websocket-key"];
  if (!(req.url || "").startsWith("/__livereload") || !key) return socket.destroy();
  const accept = createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  sockets.add(socket);
  socket.write(frame(1, "hello"));
  socket.on("data", (data) => {
    const opcode = data[0] & 0x0f;
    if (opcode === 8) socket.end(frame(8, ""));
    else if (opcode === 9) socket.write(frame(10, ""));
  });
  socket.on("close", () => sockets.delete(socket));
  socket.on("error", () => sockets.delete(socket));
});

let pending;
const broadcast = () => {
  clearTimeout(pending);
  pending = setTimeout(() => {
    for (const s of sockets) s.write(frame(1, "reload"));
  }, 30);
};
try {
  fs.watch(root, { recursive: true }, (_event, name) => {
    if (name && !String(name).split(path.sep).includes("node_modules")) broadcast();
  });
} catch (error) {
  console.error("file watching unavailable; live reload is off:", error.message);
}

server.listen(port, "0.0.0.0", () => console.log(`static dev server on :${port} serving ${root}`));
