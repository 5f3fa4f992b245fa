import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { reply, startScriptedLlm, text, type ScriptedLlm } from "../../tests/fixtures/scripted-llm/server";
import type { Scenario } from "../types";

/**
 * One scripted OpenAI-compatible model per scenario (tests/fixtures/scripted-llm), behind one base URL that
 * routes each request by its `model`: scenarios running side by side each get their own script, in order.
 */
export interface ScriptedModels {
  baseURL: string;
  /** The model name that routes a turn to this scenario's script (sent as the user_message's metadata.model). */
  modelFor: (scenario: Scenario) => string;
  /** Loads the scenario's script afresh (call before its turn). */
  load: (scenario: Scenario) => void;
  /** The fixture behind one scenario (what it received). */
  llmOf: (scenario: Scenario) => ScriptedLlm;
  close: () => Promise<void>;
}

const EXHAUSTED = reply([text("(The scripted model has no more replies for this scenario.)")]);

export async function startScriptedModels(scenarios: Scenario[]): Promise<ScriptedModels> {
  const llms = new Map<string, ScriptedLlm>();
  const modelFor = (s: Scenario) => `scripted-${s.name}`;
  for (const s of scenarios) llms.set(modelFor(s), await startScriptedLlm({ defaultReply: EXHAUSTED, models: [modelFor(s)] }));

  async function route(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    let target: ScriptedLlm | undefined;
    if (req.method === "POST") {
      const model = (JSON.parse(body.toString("utf8")) as { model?: string }).model ?? "";
      target = llms.get(model);
    } else {
      target = llms.values().next().value;
    }
    if (!target) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "no scripted scenario for this model", type: "invalid_request_error", code: "model_not_found" } }));
      return;
    }
    const upstream = new URL(req.url ?? "/", target.url);
    const forward = request(upstream, { method: req.method, headers: { ...req.headers, host: upstream.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
    res.on("close", () => forward.destroy());
    forward.end(body);
  }

  const router = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: String(error) } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    router.once("error", reject);
    router.listen(0, "127.0.0.1", resolve);
  });
  const { port } = router.address() as AddressInfo;
  const llmOf = (s: Scenario) => {
    const llm = llms.get(modelFor(s));
    if (!llm) throw new Error(`no scripted model for ${s.name}`);
    return llm;
  };
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    modelFor,
    load: (s) => {
      const llm = llmOf(s);
      llm.clear();
      llm.enqueue(...s.script);
    },
    llmOf,
    close: async () => {
      router.closeAllConnections();
      await new Promise<void>((resolve) => router.close(() => resolve()));
      await Promise.all([...llms.values()].map((l) => l.close()));
    },
  };
}
