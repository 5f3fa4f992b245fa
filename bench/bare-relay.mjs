/**
 * The floor for bench:chat's phases: the least a chat relay can do, in its own Node process with
 * Slipway's runtime flags. A WebSocket `user_message` becomes one streaming Chat Completions request (node:http,
 * keep-alive); each content delta goes out as an `agent_response` frame the moment it is read, then `completion`.
 * No agent, no database, no worker thread, no replay buffer. Usage: node bare-relay.mjs <port> <upstream base URL>
 * (forked: an IPC message `{ template }` sets the request body it sends, with each message as the last user turn).
 */
import http from "node:http";
import { WebSocketServer } from "ws";

const [port, upstream] = [Number(process.argv[2]), process.argv[3]];
// bench:chat sends Slipway's request body once it knows it, so the scripted server does the same work for both.
let template = { model: "gpt-4o-mini", stream: true, stream_options: { include_usage: true }, messages: [{ role: "user", content: "" }] };
process.on("message", (m) => {
  if (m?.template) template = m.template;
});
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
const server = http.createServer((_, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server });

wss.on("connection", (ws) => {
  let seq = 0;
  ws.on("message", (data) => {
    const { content } = JSON.parse(String(data));
    const body = JSON.stringify({ ...template, messages: [...template.messages.slice(0, -1), { role: "user", content }] });
    const req = http.request(
      `${upstream}/chat/completions`,
      { method: "POST", agent, headers: { "content-type": "application/json", authorization: "Bearer bench", "content-length": Buffer.byteLength(body) } },
      (res) => {
        let buffer = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          buffer += chunk;
          let i;
          while ((i = buffer.indexOf("\n\n")) !== -1) {
            const event = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            if (!event.startsWith("data: {")) continue;
            const delta = JSON.parse(event.slice(6)).choices[0]?.delta?.content;
            if (delta) ws.send(`{"type":"agent_response","content":${JSON.stringify(delta)},"session_id":null,"seq":${++seq}}`);
          }
        });
        res.on("end", () => ws.send(`{"type":"completion","content":"","session_id":null,"seq":${++seq},"metadata":{"status":"complete"}}`));
      },
    );
    req.on("error", (error) => ws.send(JSON.stringify({ type: "error", content: error.message, session_id: null, seq: null, metadata: {} })));
    req.end(body);
  });
});

server.listen(port, "127.0.0.1", () => process.send?.("ready"));
