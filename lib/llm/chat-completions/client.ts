import http from "node:http";
import https from "node:https";
import { APICallError } from "@ai-sdk/provider";
import { ChunkReader } from "./chunk-reader";
import type { ModelPart } from "./model-part";
import { PartQueue } from "./part-queue";
import { chatCompletionsBody, type FunctionTool, type ModelPrompt } from "./request-body";
import { SseParser } from "./sse-parser";

export interface StreamCall {
  prompt: ModelPrompt;
  tools: FunctionTool[];
  signal: AbortSignal;
  /** The provider sending nothing for this long (before the headers or between chunks) fails the call with a TimeoutError. */
  idleTimeoutMs: number;
}

/** One connection pool per scheme for every provider call: keep-alive saves a TCP (and TLS) handshake per step. */
const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

const ERROR_BODY_LIMIT = 64 * 1024;

function timeoutError(ms: number): DOMException {
  return new DOMException(`The LLM provider sent nothing for ${ms} ms`, "TimeoutError");
}

/**
 * A streamed Chat Completions call over node:http: the wire format every Slipway provider speaks (OpenRouter,
 * OpenAI, Anthropic's compatible endpoint, Ollama, LM Studio, vLLM). Parsing happens in the socket's data handler
 * and parts reach the agent through one queue, without web-stream layers: at hundreds of concurrent streams those
 * layers (in @ai-sdk/openai's pipeline) cost ~4x the CPU per chunk of this path on Node 20 (bench/llm-client.ts).
 * Request and parts follow @ai-sdk/openai's chat model; tests/llm/conformance.test.ts holds the two side by side.
 */
export class ChatCompletionsModel {
  private readonly url: URL;

  constructor(
    readonly provider: string,
    baseURL: string,
    private readonly apiKey: string | undefined,
    readonly modelId: string,
  ) {
    this.url = new URL(`${baseURL.replace(/\/$/, "")}/chat/completions`);
  }

  /**
   * Sends the request; resolves with the parts once the provider answered 2xx. Throws an APICallError (with
   * `isRetryable` as the ai SDK sets it) for other statuses and unreachable providers, a TimeoutError when the
   * provider stays silent, and the signal's reason when aborted. Leaving the iteration early closes the connection.
   */
  stream(call: StreamCall): Promise<PartQueue<ModelPart>> {
    const body = chatCompletionsBody(this.modelId, call.prompt, call.tools);
    const payload = JSON.stringify(body);
    const headers: Record<string, string | number> = { "content-type": "application/json", accept: "text/event-stream", "content-length": Buffer.byteLength(payload) };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const url = this.url.href;

    return new Promise((resolve, reject) => {
      if (call.signal.aborted) return reject(call.signal.reason);
      const transport = this.url.protocol === "https:" ? https : http;
      const req = transport.request(this.url, { method: "POST", headers, agent: agents[this.url.protocol as "http:" | "https:"] });
      let queue: PartQueue<ModelPart> | null = null;
      const fail = (error: unknown) => {
        cleanup();
        if (queue) queue.end(error);
        else reject(error);
      };
      const idle = setTimeout(() => req.destroy(timeoutError(call.idleTimeoutMs)), call.idleTimeoutMs);
      const onAbort = () => req.destroy(call.signal.reason);
      call.signal.addEventListener("abort", onAbort, { once: true });
      const cleanup = () => {
        clearTimeout(idle);
        call.signal.removeEventListener("abort", onAbort);
      };

      req.on("error", (error) => {
        if (call.signal.aborted) return fail(call.signal.reason);
        if ((error as { name?: string }).name === "TimeoutError" || queue) return fail(error);
        fail(new APICallError({ message: `Cannot connect to API: ${error.message}`, url, requestBodyValues: body, cause: error, isRetryable: true }));
      });

      req.on("response", (res) => {
        idle.refresh();
        const status = res.statusCode ?? 0;
        res.setEncoding("utf8");
        if (status < 200 || status >= 300) {
          let text = "";
          res.on("data", (s: string) => {
            idle.refresh();
            if (text.length < ERROR_BODY_LIMIT) text += s;
          });
          res.on("end", () => {
            cleanup();
            let message = res.statusMessage || `HTTP ${status}`;
            try {
              message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? message;
            } catch {
              /* not JSON: keep the status text */
            }
            reject(new APICallError({ message, url, requestBodyValues: body, statusCode: status, responseHeaders: res.headers as Record<string, string>, responseBody: text }));
          });
          return;
        }
        const parts = new PartQueue<ModelPart>(() => {
          cleanup();
          req.destroy();
        });
        queue = parts;
        const reader = new ChunkReader((part) => parts.push(part));
        const sse = new SseParser((data) => reader.data(data));
        let ended = false;
        res.on("data", (s: string) => {
          idle.refresh();
          sse.feed(s);
        });
        res.on("end", () => {
          cleanup();
          ended = true;
          sse.end();
          reader.end();
          parts.end();
        });
        res.on("error", fail);
        res.on("close", () => {
          if (!ended) fail(call.signal.aborted ? call.signal.reason : new Error("The LLM provider closed the connection before the stream ended."));
        });
        resolve(parts);
      });

      req.end(payload);
    });
  }
}
