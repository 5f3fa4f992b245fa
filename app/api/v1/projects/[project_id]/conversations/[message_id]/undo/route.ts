import { undoTurnRoute } from "@/lib/api/contracts/projects";
import { undoTurn } from "@/lib/chat/undo-turn";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/conversations/{message_id}/undo - undo an agent turn's file changes
  POST: route(undoTurnRoute, async ({ caller, params }) => {
    const result = await undoTurn({ projectId: params.project_id, userId: caller.user.id, messageId: params.message_id });
    return { message: "Turn undone", data: result };
  }),
});
