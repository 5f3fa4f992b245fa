import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, text } from "../fixtures/scripted-llm/server";
import { expectError } from "../api/support";
import { ChatClient, chatWorldOf, createProject, FAKE_KEY, startChatWorld, type ChatWorld } from "./support";

let world: ChatWorld;
let projectId: string;

beforeAll(async () => {
  world = await startChatWorld();
  projectId = await createProject(world, "usage-site");
});
afterAll(async () => {
  await world?.stop();
});

type Totals = { calls: number; input_tokens: number; output_tokens: number; cached_tokens: number; total_tokens: number; cost_usd: number };
const body = async <T>(res: Response) => ((await res.json()) as { data: T }).data;

async function turn(chat: ChatClient, content: string, usage: { prompt: number; completion: number; cached?: number }, n: number, sessionId?: string) {
  world.llm.enqueue(reply([text(`answer to ${content}`)], usage));
  chat.send({ type: "user_message", content, ...(sessionId ? { session_id: sessionId } : {}) });
  return chat.completion(n);
}

describe("sessions, usage, budgets and models", () => {
  it("create-session makes a session that a user_message continues", async () => {
    const res = await world.api("/api/v1/chat/create-session", { method: "POST", body: JSON.stringify({ project_id: projectId, title: "Planning" }) });
    expect(res.status).toBe(201);
    const session = await body<{ id: string; project_id: string; title: string }>(res);
    expect(session).toMatchObject({ project_id: projectId, title: "Planning" });
    const chat = await ChatClient.open(world, projectId);
    const done = await turn(chat, "first", { prompt: 100, completion: 10 }, 1, session.id);
    expect(done.session_id).toBe(session.id);
    chat.close();
    for (const bad of [{}, { project_id: "x" }, { project_id: projectId, extra: true }, { project_id: projectId, title: "" }]) {
      expect((await world.api("/api/v1/chat/create-session", { method: "POST", body: JSON.stringify(bad) })).status, JSON.stringify(bad)).toBe(400);
    }
    expect(
      (await world.api("/api/v1/chat/create-session", { method: "POST", body: JSON.stringify({ project_id: "00000000-0000-4000-8000-000000000000" }) })).status,
    ).toBe(404);
  });

  it("project usage and the caller's stats add up the recorded calls exactly", async () => {
    const chat = await ChatClient.open(world, projectId);
    const a = await turn(chat, "second", { prompt: 2000, completion: 300, cached: 1000 }, 1);
    const b = await turn(chat, "third", { prompt: 500, completion: 50 }, 2, a.session_id!);
    chat.close();
    const report = await body<{
      totals: Totals;
      by_session: Array<Totals & { session_id: string }>;
      by_model: Array<Totals & { model: string }>;
      budget: { token_budget: number | null; used_tokens: number };
    }>(await world.api(`/api/v1/tokens/project/${projectId}`));
    // 100/10 from the first test, then 2000/300 (1000 cached) and 500/50.
    expect(report.totals).toMatchObject({ calls: 3, input_tokens: 2600, output_tokens: 360, cached_tokens: 1000, total_tokens: 2960 });
    const expectedCost = (100 * 0.15 + 10 * 0.6 + 1000 * 0.15 + 1000 * 0.075 + 300 * 0.6 + 500 * 0.15 + 50 * 0.6) / 1e6;
    expect(report.totals.cost_usd).toBeCloseTo(expectedCost, 12);
    expect(report.totals.cost_usd).toBeCloseTo(a.metadata.cost_usd + b.metadata.cost_usd + (100 * 0.15 + 10 * 0.6) / 1e6, 12);
    expect(report.by_session.find((s) => s.session_id === a.session_id)).toMatchObject({ calls: 2, total_tokens: 2850 });
    expect(report.by_model).toEqual([expect.objectContaining({ model: "gpt-4o-mini", calls: 3 })]);
    expect(report.budget).toMatchObject({ token_budget: null, used_tokens: 2960 });

    const stats = await body<{
      totals: Totals;
      by_day: Array<Totals & { day: string }>;
      by_model: Array<Totals & { model: string }>;
      by_project: Array<Totals & { project_id: string; project_name: string | null }>;
    }>(await world.api("/api/v1/tokens/stats?days=7"));
    expect(stats.totals).toMatchObject({ calls: 3, total_tokens: 2960 });
    expect(stats.by_day).toEqual([expect.objectContaining({ day: new Date().toISOString().slice(0, 10), calls: 3 })]);
    expect(stats.by_project).toEqual([expect.objectContaining({ project_id: projectId, project_name: "usage-site", total_tokens: 2960 })]);
    expect((await world.api("/api/v1/tokens/stats?days=0")).status).toBe(400);
  });

  it("a used-up budget refuses the next message before anything is sent upstream", async () => {
    const put = await world.api(`/api/v1/tokens/project/${projectId}/budget`, { method: "PUT", body: JSON.stringify({ token_budget: 2960 }) });
    expect(put.status).toBe(200);
    expect(await body(put)).toEqual({ project_id: projectId, token_budget: 2960, used_tokens: 2960, remaining_tokens: 0 });
    for (const bad of [{ token_budget: -1 }, { token_budget: 1.5 }, {}, { token_budget: 5, x: 1 }]) {
      expect((await world.api(`/api/v1/tokens/project/${projectId}/budget`, { method: "PUT", body: JSON.stringify(bad) })).status, JSON.stringify(bad)).toBe(
        400,
      );
    }
    const before = world.llm.requests.length;
    const chat = await ChatClient.open(world, projectId);
    chat.send({ type: "user_message", content: "one more" });
    const error = await chat.waitFor("error");
    expect(error.metadata.code).toBe("budget_exceeded");
    expect(error.content).toContain("2960 of 2960 tokens");
    expect(world.llm.requests.length).toBe(before);
    expect(chat.of("message_received")).toEqual([]);

    // Raised: the next turn runs, capped to what is left.
    await world.api(`/api/v1/tokens/project/${projectId}/budget`, { method: "PUT", body: JSON.stringify({ token_budget: 10_000 }) });
    const done = await turn(chat, "allowed again", { prompt: 10, completion: 1 }, 1);
    expect(done.metadata.status).toBe("complete");
    const cleared = await world.api(`/api/v1/tokens/project/${projectId}/budget`, { method: "PUT", body: JSON.stringify({ token_budget: null }) });
    expect((await body<{ token_budget: null }>(cleared)).token_budget).toBeNull();
    chat.close();
  });

  it("models/all lists the price table and the provider's live models; the key is never in the answer", async () => {
    const res = await world.api("/api/v1/models/all");
    const raw = await res.text();
    expect(res.status).toBe(200);
    expect(raw).not.toContain(FAKE_KEY);
    const parsed = JSON.parse(raw) as {
      data: Array<{ id: string; source: string; input_per_million: number | null; output_per_million: number | null; available: boolean; default: boolean }>;
      metadata: { provider: string; default_model: string; live_list: string };
    };
    expect(parsed.metadata).toEqual({ provider: "openai-compatible", default_model: "gpt-4o-mini", live_list: "ok" });
    expect(parsed.data.find((m) => m.id === "gpt-4o-mini")).toMatchObject({
      source: "builtin",
      input_per_million: 0.15,
      output_per_million: 0.6,
      default: true,
    });
    expect(parsed.data.find((m) => m.id === "scripted-model")).toMatchObject({ source: "live", input_per_million: null, available: true });
    expect(parsed.data.find((m) => m.id === "anthropic/claude-sonnet-4.5")).toMatchObject({ source: "builtin", input_per_million: 3, output_per_million: 15 });
  });

  it("a message may choose its model; usage is recorded and priced for that model", async () => {
    const chat = await ChatClient.open(world, projectId);
    world.llm.enqueue(reply([text("from 4.1")], { prompt: 1_000_000, completion: 1_000_000 }));
    chat.send({ type: "user_message", content: "use another model", metadata: { model: "gpt-4.1" } });
    const done = await chat.completion();
    expect(world.llm.requests.at(-1)!.body.model).toBe("gpt-4.1");
    expect(done.metadata.model).toBe("gpt-4.1");
    expect(done.metadata.cost_usd).toBeCloseTo(2 + 8, 9);
    chat.close();
  });

  it("usage rows survive the project's deletion (the user's billing record)", async () => {
    const before = await body<{ totals: Totals }>(await world.api("/api/v1/tokens/stats"));
    const { by_session } = await body<{ by_session: Array<{ session_id: string }> }>(await world.api(`/api/v1/tokens/project/${projectId}`));
    const sessionId = by_session[0]!.session_id;
    const sessionBefore = await body<{ session_id: string; totals: Totals; calls: unknown[] }>(await world.api(`/api/v1/tokens/usage/${sessionId}`));
    expect(sessionBefore.calls.length).toBeGreaterThan(0);
    expect((await world.api(`/api/v1/projects/${projectId}`, { method: "DELETE" })).status).toBe(200);
    // The session went with its project; its usage stays readable by its owner, and by nobody else.
    expect(await body(await world.api(`/api/v1/tokens/usage/${sessionId}`))).toEqual(sessionBefore);
    const bob = await chatWorldOf(world.server, world.llm, "bob");
    await expectError(await bob.api(`/api/v1/tokens/usage/${sessionId}`), 404, "not_found");
    await expectError(await world.api("/api/v1/tokens/usage/00000000-0000-4000-8000-000000000000"), 404, "not_found");
    const after = await body<{ totals: Totals; by_project: Array<{ project_id: string; project_name: string | null }> }>(
      await world.api("/api/v1/tokens/stats"),
    );
    expect(after.totals).toEqual(before.totals);
    expect(after.by_project).toEqual([expect.objectContaining({ project_id: projectId, project_name: null })]);
    expect((await world.api(`/api/v1/tokens/project/${projectId}`)).status).toBe(404);
  });
});
