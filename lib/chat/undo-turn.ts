import { ApiError, notFound } from "@/lib/errors";
import { restoreCheckpoint, type Checkpoint } from "@/lib/checkpoints/service";
import { publishProjectEvent } from "@/lib/realtime/project-events";
import { getDb } from "@/prisma-free-db/client";
import { changingTurnsSince, getProjectMessage, recordUndos } from "@/prisma-free-db/queries/conversations";
import { busyMessage, reserveTurn } from "./active-turns";
import { existingSessionStream } from "./session-stream";

/** What the model reads after an answer whose changes were undone, so it does not build on files that are gone. */
export const UNDONE_NOTE = "[The user undid this turn: its file changes were reverted.]";

export function withUndoneNote(content: string): string {
  return content.trim() ? `${content}\n\n${UNDONE_NOTE}` : UNDONE_NOTE;
}

export interface UndoResult {
  checkpoint: Checkpoint;
  restored_from: string;
  /** The turns whose changes are gone: this one and the file-changing turns after it, oldest first. */
  undone: string[];
  undone_at: string;
}

/**
 * Undoes an agent turn: the files go back to the checkpoint taken before it (as a new checkpoint, so nothing is
 * lost), and that turn and the file-changing turns after it, whose changes went with it, are marked undone. Holds
 * the project's turn slot meanwhile, so no turn edits the files while they are restored.
 */
export async function undoTurn({ projectId, userId, messageId }: { projectId: string; userId: string; messageId: string }): Promise<UndoResult> {
  const db = await getDb();
  const message = await getProjectMessage(db, { projectId, id: messageId });
  if (!message || message.user_id !== userId) throw notFound("Message");
  if (message.role !== "assistant" || !message.checkpoint_before || !message.checkpoint_after || message.checkpoint_before === message.checkpoint_after) {
    throw new ApiError("bad_request", "This turn changed no files: there is nothing to undo");
  }
  if (message.undone_at) throw new ApiError("conflict", "This turn is already undone", { undone_at: message.undone_at });
  const reservation = reserveTurn(projectId, userId, "undo");
  if ("busy" in reservation) {
    throw new ApiError("conflict", busyMessage(reservation.busy, "undo"), {
      active_session_id: reservation.busy.sessionId ?? undefined,
      busy_with: reservation.busy.kind,
    });
  }
  try {
    const restored = await restoreCheckpoint(projectId, message.checkpoint_before);
    const turns = await changingTurnsSince(db, { projectId, from: message });
    const undoneAt = await recordUndos(db, { projectId, messageIds: turns.map((t) => t.id), undoneWith: message.id, checkpoint: restored.checkpoint.id });
    publishProjectEvent(projectId, { type: "turn_undone", message_ids: turns.map((t) => t.id), undone_at: undoneAt, checkpoint: restored.checkpoint.id });
    // Sessions whose history the model reads from memory re-read it, with the undo noted.
    for (const sessionId of new Set(turns.map((t) => t.session_id))) {
      const stream = existingSessionStream(sessionId);
      if (stream) stream.memory = null;
    }
    return { checkpoint: restored.checkpoint, restored_from: restored.restored_from, undone: turns.map((t) => t.id), undone_at: undoneAt };
  } finally {
    reservation.finish();
  }
}
