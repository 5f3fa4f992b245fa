import { describe, expect, it } from "vitest";
import { frameJson, type Unsequenced } from "@/lib/chat/frame-json";
import { serverFrame } from "@/lib/shared/chat-protocol";

const ids = { session_id: "6f1c1d2e-9d1e-4e9a-8f3e-1a2b3c4d5e6f", project_id: "7a1c1d2e-9d1e-4e9a-8f3e-1a2b3c4d5e6f" };
const awkward = [
  "",
  "plain words ",
  'quotes " and \\ backslashes',
  "new\nline\ttab\r",
  "\u2028\u2029 separators",
  "emoji 🚀 and é",
  "lone \ud800 surrogate",
  "</script><!--",
  "\u0000\u001f control",
];

describe("frame JSON on the wire", () => {
  it("an assembled text delta parses to exactly the frame JSON.stringify would give, and the protocol accepts it", () => {
    for (const [i, content] of awkward.entries()) {
      const frame: Unsequenced = { ...ids, type: "agent_response", content, metadata: { step: i + 1 } };
      const json = frameJson(frame, 40 + i);
      expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify({ ...frame, seq: 40 + i })));
      expect(serverFrame.parse(JSON.parse(json))).toEqual({ ...frame, seq: 40 + i });
    }
  });

  it("a frame of a session not yet named carries session_id null", () => {
    const json = frameJson({ ...ids, session_id: null, type: "agent_response", content: "x", metadata: { step: 1 } }, 1);
    expect(JSON.parse(json)).toMatchObject({ session_id: null, seq: 1 });
  });

  it("other frames are serialized whole, metadata included", () => {
    const frame: Unsequenced = {
      ...ids,
      type: "tool_call",
      content: "write_file",
      metadata: { tool_call_id: "c1", tool: "write_file", input: { path: 'a"b', content: "\u2028" }, step: 2 },
    };
    expect(JSON.parse(frameJson(frame, 9))).toEqual({ ...frame, seq: 9 });
  });
});
