import { SERVER_STOPPED_NOTE } from "@/lib/chat/active-turns";
import { clearStaleGitLocks } from "@/lib/checkpoints/git";
import { replayMessageJournal } from "@/lib/chat/message-journal";
import { log } from "@/lib/log";
import { getDb } from "@/prisma-free-db/client";
import { answerInterruptedTurns } from "@/prisma-free-db/queries/chat-writes";

/**
 * Repairs what an unclean stop (a kill, a crash, a power cut) can leave behind: acknowledged user messages whose rows
 * were still gathering, chat turns without an end, and lock files of a git that was killed mid-commit. Runs once at start-up, after the database opened and before anything
 * is served. (The database's own write-ahead log is DuckDB's to replay.)
 */
export async function recoverFromUncleanStop(): Promise<void> {
  const db = await getDb();
  const restored = await replayMessageJournal(db);
  if (restored > 0) log.warn("acknowledged user messages the last stop lost restored from the journal", { messages: restored });
  const interrupted = await answerInterruptedTurns(db, SERVER_STOPPED_NOTE);
  if (interrupted > 0) log.warn("turns the last stop interrupted are stored as failed", { sessions: interrupted });
  const locks = clearStaleGitLocks();
  if (locks > 0) log.warn("lock files a killed git left in checkpoint repositories removed", { files: locks });
}
