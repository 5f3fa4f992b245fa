import { deleteChatSession, renameChatSession } from "@/lib/api/contracts/chat";
import { activeTurnOfProject } from "@/lib/chat/active-turns";
import { ApiError, notFound } from "@/lib/errors";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { deleteChatSession as deleteSessionRows, getOwnedChatSession, renameChatSession as renameSessionRow } from "@/prisma-free-db/queries/chat-sessions";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  PATCH: route(renameChatSession, async ({ caller, params, body, db }) => {
    const session = await getOwnedChatSession(db, { id: params.session_id, userId: caller.user.id });
    if (!session) throw notFound("Chat session");
    await renameSessionRow(db, { id: session.id, title: body.title });
    const { user_id: _userId, ...data } = session;
    return { message: "Chat session renamed", data: { ...data, title: body.title } };
  }),

  DELETE: route(deleteChatSession, async ({ caller, params, db }) => {
    const session = await getOwnedChatSession(db, { id: params.session_id, userId: caller.user.id });
    if (!session) throw notFound("Chat session");
    // A turn still being set up has no session id yet: the project's turn counts when it is this session's (or unknown).
    const turn = activeTurnOfProject(session.project_id);
    if (turn && turn.kind === "agent" && (turn.sessionId === session.id || turn.sessionId === null)) {
      throw new ApiError("conflict", "A turn is running in this chat session: cancel it or wait for it to finish, then delete");
    }
    await deleteSessionRows(db, { id: session.id });
    return { message: "Chat session deleted", data: { session_id: session.id, deleted: true as const } };
  }),
});
