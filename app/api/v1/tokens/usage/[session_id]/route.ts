import { sessionUsage } from "@/lib/api/contracts/usage";
import { notFound } from "@/lib/errors";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { getOwnedChatSession } from "@/prisma-free-db/queries/chat-sessions";
import { listSessionUsage, sessionTotals } from "@/prisma-free-db/queries/token-usage";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: route(sessionUsage, async ({ caller, params, db }) => {
    const scope = { sessionId: params.session_id, userId: caller.user.id };
    const [session, totals, rows] = await Promise.all([
      getOwnedChatSession(db, { id: params.session_id, userId: caller.user.id }),
      sessionTotals(db, scope),
      listSessionUsage(db, scope),
    ]);
    // A deleted project takes its sessions with it, but not its usage rows (the user's billing record): the caller's
    // own rows still answer for the session.
    if (!session && rows.length === 0) throw notFound("Chat session");
    const calls = rows.map(({ user_id: _u, ...r }) => r);
    return { message: "Session usage", data: { session_id: session?.id ?? rows[0]!.session_id!, totals, calls } };
  }),
});
