import { sessionUsage } from "@/lib/api/contracts/usage";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { getDb } from "@/prisma-free-db/client";
import { getOwnedChatSession } from "@/prisma-free-db/queries/chat-sessions";
import { listSessionUsage, sessionTotals } from "@/prisma-free-db/queries/token-usage";

export const dynamic = "force-dynamic";

export const GET = route(sessionUsage, async ({ caller, params }) => {
  const db = await getDb();
  const session = await getOwnedChatSession(db, { id: params.session_id, userId: caller.user.id });
  if (!session) throw notFound("Chat session");
  const scope = { sessionId: session.id, userId: caller.user.id };
  const [totals, rows] = await Promise.all([sessionTotals(db, scope), listSessionUsage(db, scope)]);
  const calls = rows.map(({ user_id: _u, ...r }) => r);
  return { message: "Session usage", data: { session_id: session.id, totals, calls } };
});
