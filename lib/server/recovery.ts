import { SERVER_STOPPED_NOTE } from "@/lib/chat/active-turns";
import { clearStaleGitLocks } from "@/lib/checkpoints/git";
import { log } from "@/lib/log";
import { getDb } from "@/prisma-free-db/client";
import { answerInterruptedTurns } from "@/prisma-free-db/queries/chat-writes";

/**
 * Repairs what an unclean stop (a kill, a crash, a power cut) can leave behind: chat turns without an end, and lock
 * files of a git that was killed mid-commit. Runs once at start-up, after the database opened and before anything
 * is served. (The database's own write-ahead log is DuckDB's to replay.)
 */
export async function recoverFromUncleanStop(): Promise<void> {
  const interrupted = await answerInterruptedTurns(await getDb(), SERVER_STOPPED_NOTE);
  if (interrupted > 0) log.warn("turns the last stop interrupted are stored as failed", { sessions: interrupted });
  const locks = clearStaleGitLocks();
  if (locks > 0) log.warn("lock files a killed git left in checkpoint repositories removed", { files: locks });
}
