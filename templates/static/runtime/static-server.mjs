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
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".map": "application/json",
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
  else
    fs.createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
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
  const accept = createHash("sha1")
    .update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")
    .digest("base64");
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

// Live reload watches every folder of the project except node_modules, one non-recursive watcher per
// folder (a folder's watcher also reports changes to the files in it). Node's recursive fs.watch throws
// and ends the process when a folder vanishes while it is being scanned (`rm -rf`, a folder swapped for
// a symlink); here every watcher and scan tolerates paths that come and go. Symlinks are not followed.
/** Watched folder → { watcher, ino } (the inode tells a folder from one made again under the same name). */
const watchers = new Map();
const ignored = (name) => name === "node_modules";
let watchLimitLogged = false;

function unwatchTree(dir) {
  for (const [p, w] of watchers) {
    if (p === dir || p.startsWith(dir + path.sep)) {
      w.watcher.close();
      watchers.delete(p);
    }
  }
}

function watchDir(dir) {
  if (watchers.has(dir)) return;
  let watcher;
  try {
    watcher = fs.watch(dir, (_event, name) => onChange(dir, name));
  } catch (error) {
    if ((error.code === "ENOSPC" || error.code === "EMFILE") && !watchLimitLogged) {
      watchLimitLogged = true;
      console.error(`live reload does not see changes in some folders (${error.code}: too many watched folders)`);
    }
    return; // vanished, not a folder, or not readable
  }
  watcher.on("error", () => {
    unwatchTree(dir);
    rescanSoon(dir === root ? root : path.dirname(dir));
  });
  let entries = [];
  try {
    watchers.set(dir, { watcher, ino: fs.statSync(dir).ino });
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    watcher.close();
    unwatchTree(dir); // gone again already
    return;
  }
  for (const entry of entries) if (entry.isDirectory() && !ignored(entry.name)) watchDir(path.join(dir, entry.name));
}

function onChange(dir, name) {
  if (!name) {
    broadcast();
    rescanSoon(dir);
    return;
  }
  if (ignored(String(name))) return;
  broadcast();
  const full = path.join(dir, String(name));
  let stat;
  try {
    stat = fs.lstatSync(full);
  } catch {
    unwatchTree(full); // removed (or moved away)
    return;
  }
  if (!stat.isDirectory()) {
    unwatchTree(full); // a file or symlink where a folder may have been
    return;
  }
  if (watchers.get(full)?.ino !== stat.ino) unwatchTree(full); // removed and made again
  watchDir(full);
}

const isFolder = (p) => {
  try {
    return fs.lstatSync(p).isDirectory();
  } catch {
    return false;
  }
};

// After a watcher failed, or an event without a name: watch the folder again (and what is in it) shortly.
const rescans = new Set();
let rescanTimer;
function rescanSoon(dir) {
  rescans.add(dir);
  rescanTimer ??= setTimeout(() => {
    rescanTimer = undefined;
    const dirs = [...rescans];
    rescans.clear();
    for (const d of dirs) {
      unwatchTree(d);
      if (isFolder(d)) watchDir(d);
      else if (d !== root) rescanSoon(path.dirname(d));
    }
    if (!watchers.has(root)) rescanSoon(root);
  }, 200);
}

watchDir(root);
if (!watchers.has(root)) {
  console.error("file watching unavailable; retrying");
  rescanSoon(root);
}

server.listen(port, "0.0.0.0", () => console.log(`static dev server on :${port} serving ${root}`));
