import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { cancelTurn, reserveTurn } from "@/lib/chat/active-turns";
import { startTurn } from "@/lib/chat/turn";
import type { Project } from "@/prisma-free-db/queries/projects";

// The project's turn slot, which an agent turn and an undo share: what a message, a cancel and an undo that find
// it taken are told. (An undo holds it for a moment only, too short to race reliably against a real server.)
describe("the project's turn slot", () => {
  const project = { id: randomUUID() } as Project;
  const userId = randomUUID();

  it("tells a message sent during an undo that an undo holds the project, and the cancel leaves the undo alone", async () => {
    const undo = reserveTurn(project.id, userId, "undo");
    if ("busy" in undo) throw new Error("the slot was taken");
    const rejected: Array<{ code: string; message: string; extra?: Record<string, unknown> }> = [];
    const started = await startTurn({
      project,
      userId,
      content: "Add a footer",
      reject: (code, message, extra) => rejected.push({ code, message, extra }),
      attach: () => expect.unreachable("a refused message attaches no stream"),
    });
    expect(started).toBeNull();
    expect(rejected).toEqual([
      {
        code: "busy",
        message: "An undo is restoring this project's files. Send again in a moment.",
        extra: { active_session_id: undefined, busy_with: "undo" },
      },
    ]);

    expect(cancelTurn(undo.turn)).toBe(false);
    expect(undo.turn.controller.signal.aborted).toBe(false);

    const second = reserveTurn(project.id, userId, "undo");
    expect("busy" in second && second.busy).toBe(undo.turn);
    undo.finish();
    const after = reserveTurn(project.id, userId);
    expect("turn" in after && after.turn.kind).toBe("agent");
    if ("turn" in after) {
      expect(cancelTurn(after.turn)).toBe(true);
      after.finish();
    }
  });
});
