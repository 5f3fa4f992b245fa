import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import { apiKeyFor } from "../helpers/auth";
import { startServer } from "../helpers/server";
import { queryDbFile } from "./support";

describe("graceful shutdown", () => {
  it("SIGTERM during writes: exit 0, sockets closed with 1001, every acknowledged write is in the reopened database", async () => {
    const server = await startServer();
    const { authorization } = await apiKeyFor(server.url, "sid");

    const sockets = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<WebSocket>((resolve, reject) => {
            const ws = new WebSocket(`ws://localhost:${server.port}/ws/echo`, { headers: { authorization } });
            ws.on("open", () => resolve(ws));
            ws.on("error", reject);
          }),
      ),
    );
    const closeCodes = sockets.map((ws) => new Promise<number>((resolve) => ws.on("close", (code) => resolve(code))));

    const exitCode = new Promise<number | null>((resolve) => server.proc.on("exit", (code) => resolve(code)));
    const acknowledged: string[] = [];
    let settled = 0;
    const outcomes: string[] = [];
    let signalled = false;
    const writes = Array.from({ length: 200 }, (_, i) =>
      fetch(`${server.url}/api/v1/api-keys`, {
        method: "POST",
        headers: { authorization, "content-type": "application/json" },
        body: JSON.stringify({ name: `w${i}` }),
      })
        .then(async (res) => {
          outcomes.push(String(res.status));
          if (res.status === 201) acknowledged.push(((await res.json()) as { data: { id: string } }).data.id);
        })
        .catch((error: Error) => outcomes.push(error.name))
        .finally(() => {
          settled++;
          // Signal while most writes are still in flight.
          if (settled === 20 && !signalled) {
            signalled = true;
            server.proc.kill("SIGTERM");
          }
        }),
    );
    await Promise.all(writes);
    expect(signalled).toBe(true);
    expect(await exitCode).toBe(0);
    expect(await Promise.all(closeCodes)).toEqual([1001, 1001, 1001]);

    // Refused work is a clean refusal (503 or a closed connection), never a 500.
    expect(outcomes.filter((o) => o === "500")).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);

    const rows = await queryDbFile<{ id: string }>(server.dataDir, "SELECT id::VARCHAR AS id FROM api_tokens");
    const stored = new Set(rows.map((r) => r.id));
    for (const id of acknowledged) expect(stored.has(id)).toBe(true);
    expect(server.output()).toContain('"msg":"stopped"');
  });
});
