import http from "node:http";

const port = Number(process.env.PORT ?? 3000);
const items = [{ id: 1, name: "First item" }];

function send(res, status, body) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  let raw = "";
  for await (const chunk of req) raw += chunk;
  return raw ? JSON.parse(raw) : {};
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  try {
    if (req.method === "GET" && url.pathname === "/") return send(res, 200, { message: "Hello from Slipway", endpoints: ["/health", "/items"] });
    if (req.method === "GET" && url.pathname === "/health") return send(res, 200, { status: "ok" });
    if (req.method === "GET" && url.pathname === "/items") return send(res, 200, { data: items });
    if (req.method === "POST" && url.pathname === "/items") {
      const { name } = await readJson(req);
      if (typeof name !== "string" || !name.trim()) return send(res, 400, { error: "name is required" });
      const item = { id: items.length + 1, name: name.trim() };
      items.push(item);
      return send(res, 201, { data: item });
    }
    send(res, 404, { error: "Not found" });
  } catch {
    send(res, 400, { error: "Malformed JSON" });
  }
});

server.listen(port, "0.0.0.0", () => console.log(`API listening on http://0.0.0.0:${port}`));
