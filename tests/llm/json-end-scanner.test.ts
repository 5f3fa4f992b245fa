import { afterEach, describe, expect, it, vi } from "vitest";
import { ChunkReader } from "@/lib/llm/chat-completions/chunk-reader";
import { JsonEndScanner } from "@/lib/llm/chat-completions/json-end-scanner";
import type { ModelPart } from "@/lib/llm/chat-completions/model-part";

/** The fragment count after which the scanner first says "may be complete" (-1: never). */
function firstMaybeComplete(fragments: string[]): number {
  const scanner = new JsonEndScanner();
  return fragments.findIndex((f) => scanner.feed(f));
}

describe("JsonEndScanner", () => {
  it("says an object may be complete at the fragment holding its closing brace, not before", () => {
    // Braces, brackets, quotes and backslashes inside strings do not count.
    const text = JSON.stringify({ path: "a.ts", content: 'if (x) { y["}"] = "\\"]"; }\n{[', n: [1, { m: 2 }] });
    const fragments = text.match(/[\s\S]{1,3}/g)!;
    expect(firstMaybeComplete(fragments)).toBe(fragments.length - 1);
    for (let cut = 1; cut < text.length; cut++) {
      expect(firstMaybeComplete([text.slice(0, cut), text.slice(cut)])).toBe(1);
    }
  });

  it("after leading whitespace; an array too; a scalar may be complete at any point", () => {
    expect(firstMaybeComplete(["  \n", " [1, ", "[2]", "]"])).toBe(3);
    expect(firstMaybeComplete(["12", "3"])).toBe(0);
    expect(firstMaybeComplete([" ", '"a'])).toBe(1);
  });
});

describe("a long tool call streamed in small fragments", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is emitted once, whole, and its arguments are parsed once, not after every fragment", () => {
    const args = JSON.stringify({ path: "src/App.tsx", content: "export const App = () => <div>{'}'}</div>;\n".repeat(400) });
    const fragments = args.match(/[\s\S]{1,20}/g)!;
    const chunks = fragments.map((f, k) =>
      JSON.stringify({
        model: "m",
        choices: [
          {
            delta: { tool_calls: [{ index: 0, ...(k === 0 ? { id: "call_1" } : {}), function: { ...(k === 0 ? { name: "write_file" } : {}), arguments: f } }] },
          },
        ],
      }),
    );
    const parts: ModelPart[] = [];
    const reader = new ChunkReader((p) => parts.push(p));
    const parse = vi.spyOn(JSON, "parse");
    for (const c of chunks) reader.data(c);
    reader.end();
    const argumentParses = parse.mock.calls.filter(
      ([text]) => text === args || (typeof text === "string" && args.startsWith(text) && text.length < args.length),
    );
    expect(argumentParses).toHaveLength(1);
    expect(parts.filter((p) => p.type === "tool-call")).toEqual([{ type: "tool-call", toolCallId: "call_1", toolName: "write_file", input: args }]);
  });
});
