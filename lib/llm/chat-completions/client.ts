import { APICallError } from "@ai-sdk/provider";
import type { StreamFailure, StreamRequest } from "./http-stream";
import { startStream } from "./stream-dispatch";
import type { ModelPart } from "./model-part";
import { PartQueue } from "./part-queue";
import { chatCompletionsPayload, type FunctionTool, type ModelPrompt } from "./request-body";

export interface StreamCall {
  prompt: ModelPrompt;
  tools: FunctionTool[];
  signal: AbortSignal;
  /** The provider sending nothing for this long (before the headers or between chunks) fails the call with a TimeoutError. */
  idleTimeoutMs: number;
}

/**
 * A model behind a Chat Completions endpoint: the wire format every Slipway provider speaks (OpenRouter, OpenAI,
 * Anthropic's compatible endpoint, Ollama, LM Studio, vLLM). Requests run on the LLM I/O thread (io-thread.ts)
 * with their own HTTP client and SSE parser, without web-stream layers: at hundreds of concurrent streams those
 * layers (in @ai-sdk/openai's pipeline) cost ~4x the CPU per chunk on Node 20 (bench/llm-client.ts), and the main
 * event loop is left with relaying parts. Request and parts follow @ai-sdk/openai's chat model;
 * tests/llm/conformance.test.ts holds the two side by side.
 */
export class ChatCompletionsModel {
  private readonly url: string;

  constructor(
    readonly provider: string,
    baseURL: string,
    private readonly apiKey: string | undefined,
    readonly modelId: string,
  ) {
    this.url = `${baseURL.replace(/\/$/, "")}/chat/completions`;
  }

  /**
   * Sends the request; resolves with the parts once the provider answered 2xx and sent the first of them.
   * Rejects with an APICallError (`isRetryable` as the ai SDK sets it) for other statuses and unreachable
   * providers, a TimeoutError when the provider stays silent, and the signal's reason when aborted. Leaving the
   * iteration early closes the connection.
   */
  stream(call: StreamCall): Promise<PartQueue<ModelPart>> {
    const payload = chatCompletionsPayload(this.modelId, call.prompt, call.tools);
    const headers: StreamRequest["headers"] = { "content-type": "application/json", accept: "text/event-stream", "content-length": Buffer.byteLength(payload) };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const url = this.url;

    return new Promise((resolve, reject) => {
      if (call.signal.aborted) return reject(call.signal.reason);
      let queue: PartQueue<ModelPart> | null = null;
      const settle = (error: unknown) => {
        call.signal.removeEventListener("abort", onAbort);
        if (queue) queue.end(error);
        else reject(error);
      };
      const stream = startStream(
        { url, headers, payload, idleTimeoutMs: call.idleTimeoutMs },
        {
          response: () => {
            queue = new PartQueue<ModelPart>(() => {
              call.signal.removeEventListener("abort", onAbort);
              stream.cancel();
            });
            resolve(queue);
          },
          parts: (parts) => {
            for (const part of parts) queue!.push(part);
          },
          end: () => settle(undefined),
          fail: (failure) => settle(errorOf(failure, url, JSON.parse(payload))),
        },
      );
      const onAbort = () => {
        stream.cancel();
        settle(call.signal.reason);
      };
      call.signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}

/** The error the ai SDK would raise for the same failure. */
function errorOf(failure: StreamFailure, url: string, requestBodyValues: unknown): Error {
  switch (failure.kind) {
    case "http":
      return new APICallError({
        message: failure.message,
        url,
        requestBodyValues,
        statusCode: failure.status,
        responseHeaders: failure.headers,
        responseBody: failure.body,
      });
    case "connect":
      return new APICallError({ message: failure.message, url, requestBodyValues, isRetryable: true });
    case "timeout":
      return new DOMException(failure.message, "TimeoutError");
    case "closed":
      return new Error(failure.message);
  }
}
