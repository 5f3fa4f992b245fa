import { expect } from "vitest";
import WebSocket from "ws";
import type { z } from "zod";
import { conversationMessageSchema } from "@/lib/api/contracts/projects";
import type { ServerFrame, ServerFrameOf, ServerFrameType } from "@/lib/shared/chat-protocol";
import { serverFrame } from "@/lib/shared/chat-protocol";
import { startScriptedLlm, type ScriptedLlm } from "../fixtures/scripted-llm/server";
import { apiKeyFor } from "../helpers/auth";
import { startServer, type TestServer } from "../helpers/server";

export const FAKE_KEY = "sk-test-SECRET-provider-key-0123456789";

export interface ChatWorld {
  server: TestServer;
  llm: ScriptedLlm;
  authorization: string;
  userId: string;
  api: (path: string, init?: RequestInit) => Promise<Response>;
  stop: () => Promise<void>;
}

/** A real Slipway server whose LLM provider is the scripted OpenAI-compatible server. */
export async function startChatWorld(env: Record<string, string> = {}): Promise<ChatWorld> {
  const llm = await startScriptedLlm();
  const server = await startServer({
    env: {
      LLM_PROVIDER: "openai-compatible",
      OPENAI_BASE_URL: llm.baseURL,
      OPENAI_API_KEY: FAKE_KEY,
      MODEL_NAME: "gpt-4o-mini",
      LLM_CHUNK_TIMEOUT_MS: "1500",
      ...env,
    },
  });
  return chatWorldOf(server, llm);
}

/** The world of an already started server and LLM, as `user` (a fresh API key). */
export async function chatWorldOf(server: TestServer, llm: ScriptedLlm, user = "alice"): Promise<ChatWorld> {
  const { authorization, userId } = await apiKeyFor(server.url, user);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { authorization, "content-type": "application/json", ...(init.headers as Record<string, string>) } });
  return {
    server,
    llm,
    authorization,
    userId,
    api,
    stop: async () => {
      await server.stop();
      await llm.close();
    },
  };
}

export async function createProject(world: ChatWorld, name?: string, authorization = world.authorization): Promise<string> {
  const res = await fetch(`${world.server.url}/api/v1/projects`, {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    // The agent starts the container when a tool needs it.
    body: JSON.stringify({ template: "static", start_container: false, ...(name ? { name } : {}) }),
  });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return (JSON.parse(text) as { data: { id: string } }).data.id;
}

/**
 * A chat message as GET /api/v1/projects/{id}/conversations returns it: the route's documented schema, with the
 * stored parts (text, tool_call, tool_result) spelled out.
 */
export type StoredMessage = Omit<z.infer<typeof conversationMessageSchema>, "parts"> & {
  parts: Array<{ type: string; text?: string; tool?: string; ok?: boolean; output?: unknown }>;
};

/** The project's stored conversation, oldest first (up to 200 messages), optionally of one session; checked against the route's schema. */
export async function storedConversation(world: ChatWorld, projectId: string, sessionId?: string): Promise<StoredMessage[]> {
  const res = await world.api(`/api/v1/projects/${projectId}/conversations?limit=200${sessionId ? `&session_id=${sessionId}` : ""}`);
  expect(res.status).toBe(200);
  return conversationMessageSchema.array().parse(((await res.json()) as { data: unknown }).data) as StoredMessage[];
}

/** A chat WebSocket client that validates every frame against the shared protocol and keeps them all. */
export class ChatClient {
  frames: ServerFrame[] = [];
  raw: string[] = [];
  closed: Promise<{ code: number; reason: string }>;
  private listeners = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    ws.on("message", (data) => {
      const text = data.toString();
      this.raw.push(text);
      const parsed = serverFrame.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`frame does not match the protocol: ${text}\n${parsed.error.message}`);
      this.frames.push(parsed.data);
      for (const l of this.listeners) l();
    });
  }

  static async open(world: ChatWorld, projectId: string, opts: { path?: string; query?: string; authorization?: string } = {}): Promise<ChatClient> {
    const base = world.server.url.replace(/^http/, "ws");
    const ws = new WebSocket(`${base}${opts.path ?? "/api/v1/chat/stream"}/${projectId}${opts.query ? `?${opts.query}` : ""}`, {
      headers: { authorization: opts.authorization ?? world.authorization, origin: world.server.url },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    return new ChatClient(ws);
  }

  send(frame: unknown) {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  of<T extends ServerFrameType>(type: T): ServerFrameOf<T>[] {
    return this.frames.filter((f) => f.type === type) as ServerFrameOf<T>[];
  }

  /** Waits until `predicate` holds for some frame received (now or later); returns that frame. */
  waitFor<T extends ServerFrameType>(type: T, predicate: (f: ServerFrameOf<T>) => boolean = () => true, timeoutMs = 20_000): Promise<ServerFrameOf<T>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.of(type).find(predicate);
        if (hit) {
          this.listeners.delete(check);
          clearTimeout(timer);
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`no ${type} frame within ${timeoutMs} ms; got: ${this.frames.map((f) => f.type).join(", ")}`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Waits for the `n`-th completion frame (1-based). */
  async completion(n = 1, timeoutMs?: number): Promise<ServerFrameOf<"completion">> {
    await this.waitFor("completion", () => this.of("completion").length >= n, timeoutMs);
    return this.of("completion")[n - 1]!;
  }

  text(sessionId?: string): string {
    return this.of("agent_response")
      .filter((f) => !sessionId || f.session_id === sessionId)
      .map((f) => f.content)
      .join("");
  }

  close() {
    this.ws.close();
  }
}

export function expectContiguousSeq(frames: ServerFrame[], sessionId: string) {
  const seqs = frames.filter((f) => f.session_id === sessionId && f.seq !== null).map((f) => f.seq!);
  expect(seqs.length).toBeGreaterThan(0);
  expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => seqs[0]! + i));
}
