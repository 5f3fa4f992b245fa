import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reply, text, toolCall } from "../fixtures/scripted-llm/server";
import { ChatClient, createProject, startChatWorld, type ChatWorld } from "./support";

let world: ChatWorld;
let projectId: string;

beforeAll(async () => {
  world = await startChatWorld({ AGENT_MAX_STEPS: "3", AGENT_MAX_TOKENS_PER_TURN: "1000" });
  projectId = await createProject(world);
});
afterAll(async () => {
  await world?.stop();
});

async function runTurn(content: string) {
  const before = world.llm.requests.length;
  const chat = await ChatClient.open(world, projectId);
  chat.send({ type: "user_message", content });
  const done = await chat.completion();
  chat.close();
  return { chat, done, requests: world.llm.requests.slice(before) };
}

describe("the agent's step loop: caps and tool-call validation", () => {
  it("stops at the step cap and says so; every request carries the earlier calls and their results", async () => {
    const listing = () => reply([toolCall("list_files", {})], { prompt: 10, completion: 5 });
    world.llm.enqueue(listing(), listing(), listing(), reply([text("should never be requested")]));
    const { chat, done, requests } = await runTurn("Keep listing");
    expect(done.metadata).toMatchObject({ status: "complete", stop_reason: "step_limit", steps: 3, usage: { input_tokens: 30, output_tokens: 15 } });
    expect(requests).toHaveLength(3);
    expect(chat.of("tool_result").map((f) => f.metadata.ok)).toEqual([true, true, true]);
    expect(chat.text()).toContain("I stopped after 3 steps");
    // Each later request carries every earlier call and its result, in order.
    const third = requests[2]!.body.messages;
    expect(third.filter((m) => m.role === "assistant").map((m) => (m.tool_calls as Array<{ function: { name: string } }>)[0]!.function.name)).toEqual([
      "list_files",
      "list_files",
    ]);
    expect(third.filter((m) => m.role === "tool")).toHaveLength(2);
    world.llm.clear();
  });

  it("stops when the turn's tokens reach the per-turn cap", async () => {
    world.llm.enqueue(
      reply([text("Looking. "), toolCall("list_files", {})], { prompt: 800, completion: 300, cached: 200 }),
      reply([text("should never be requested")]),
    );
    const { chat, done, requests } = await runTurn("Use many tokens");
    expect(requests).toHaveLength(1);
    expect(done.metadata).toMatchObject({
      stop_reason: "token_limit",
      steps: 1,
      usage: { input_tokens: 800, output_tokens: 300, cached_tokens: 200, total_tokens: 1100 },
    });
    expect(chat.text()).toContain("reached its token limit (1000 tokens)");
    world.llm.clear();
  });

  it("a call to an unknown tool or with input that does not match the schema is an error the model sees; the turn goes on", async () => {
    world.llm.enqueue(reply([toolCall("format_disk", {}), toolCall("read_file", { file: "index.html" })]), reply([text("Sorry, done.")]));
    const { chat, done, requests } = await runTurn("Do odd things");
    expect(requests).toHaveLength(2);
    const results = chat.of("tool_result");
    expect(results.map((f) => [f.metadata.tool, f.metadata.ok])).toEqual([
      ["format_disk", false],
      ["read_file", false],
    ]);
    const toolMessages = JSON.stringify(requests[1]!.body.messages.filter((m) => m.role === "tool"));
    expect(toolMessages).toContain("unavailable tool 'format_disk'");
    expect(toolMessages).toContain("Invalid input for tool read_file");
    expect(done.metadata).toMatchObject({ status: "complete", stop_reason: "done", steps: 2 });
    expect(chat.text()).toContain("Sorry, done.");
  });
});
