import { cancelChatTurn } from "@/lib/api/contracts/chat";
import { activeTurnOfSession, cancelTurn } from "@/lib/chat/active-turns";
import { userActed } from "@/lib/chat/auto-fix-state";
import { existingSessionStream } from "@/lib/chat/session-stream";
import { notFound } from "@/lib/errors";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { getOwnedChatSession } from "@/prisma-free-db/queries/chat-sessions";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(cancelChatTurn, async ({ caller, params, db }) => {
    const session = await getOwnedChatSession(db, { id: params.session_id, userId: caller.user.id });
    if (!session) throw notFound("Chat session");
    userActed(session.project_id);
    const turn = activeTurnOfSession(session.id);
    const cancelled = cancelTurn(turn);
    if (cancelled) {
      existingSessionStream(session.id)?.emit({
        type: "status",
        content: "Cancelling",
        session_id: session.id,
        project_id: session.project_id,
        metadata: { state: "cancelling" },
      });
      await turn!.done;
    }
    return { message: cancelled ? "Turn cancelled" : "No turn was running", data: { session_id: session.id, cancelled } };
  }),
});
