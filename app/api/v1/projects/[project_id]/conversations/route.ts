import { conversationsRoute } from "@/lib/api/contracts/projects";
import { paginationMeta } from "@/lib/api/schemas";
import { attachmentsOfParts } from "@/lib/chat/images";
import { notFound } from "@/lib/errors";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { listMessagesBefore, listProjectMessages, listProjectSessions, type ConversationMessage } from "@/prisma-free-db/queries/conversations";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/conversations - chat messages, oldest first
  GET: route(conversationsRoute, async ({ params, query, db }) => {
    const sessions = await listProjectSessions(db, { projectId: params.project_id });
    const scope = { projectId: params.project_id, sessionId: query.session_id, limit: query.limit };
    if (query.before || query.latest === "true") {
      const page = await listMessagesBefore(db, { ...scope, before: query.before ?? null });
      if (!page) throw notFound("Message");
      const first = page.items[0];
      return {
        message: "Conversations",
        data: page.items.map(shown),
        metadata: { total: page.total, limit: query.limit, has_more: page.hasMore, next_before: page.hasMore && first ? first.id : null, sessions },
      };
    }
    const { items, total } = await listProjectMessages(db, { ...scope, offset: query.offset });
    return { message: "Conversations", data: items.map(shown), metadata: { ...paginationMeta(total, query.limit, query.offset), sessions } };
  }),
});

const shown = ({ project_id: _p, user_id: _u, ...m }: ConversationMessage) => ({ ...m, attachments: attachmentsOfParts(m.parts) });
