import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import type { Queryable } from "@/prisma-free-db/client";
import { insertJournaledUserMessages, type NewChatMessage } from "@/prisma-free-db/queries/chat-writes";

/**
 * An acknowledged user message must survive a kill or a crash of the server, but the database gathers rows for up
 * to 20 ms and a commit costs milliseconds (see Database.insert): waiting for it would put a write on every turn's
 * path to the first token. So the message is first appended to this journal with one synchronous write (it is in
 * the kernel's page cache once write(2) returns, which outlives the process), `message_received` goes out, and the
 * row takes the usual batched path. When no journaled message is waiting for its row, the journal is emptied. At
 * start-up, messages the journal holds and the table does not are inserted (see replayMessageJournal).
 *
 * Durable against the process dying, not against the machine losing power before the kernel writes the page.
 */
const FILE = "chat-journal.ndjson";

let fd: number | undefined;
let waiting = 0;

function journalFd(): number {
  fd ??= fs.openSync(path.join(env().DATABASE_DIR, FILE), fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND, 0o600);
  return fd;
}

/** Appends `message` to the journal; call the returned function once its row is stored (or failed to be). */
export function journalUserMessage(message: NewChatMessage): () => void {
  fs.writeSync(journalFd(), `${JSON.stringify(message)}\n`);
  waiting++;
  let settled = false;
  return () => {
    if (settled) return;
    settled = true;
    if (--waiting === 0) fs.ftruncateSync(journalFd(), 0);
  };
}

/** Inserts the journaled messages whose rows a kill lost (sessions deleted since are skipped); empties the journal. */
export async function replayMessageJournal(db: Queryable): Promise<number> {
  const file = path.join(env().DATABASE_DIR, FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  const messages: NewChatMessage[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      messages.push(JSON.parse(line) as NewChatMessage);
    } catch {
      // A line cut short by the kill itself: its message was never acknowledged.
    }
  }
  const restored = messages.length > 0 ? await insertJournaledUserMessages(db, messages) : 0;
  fs.truncateSync(file, 0);
  return restored;
}
