import { listSessionsRoute } from "@/lib/api/contracts/projects";
import { paginationMeta } from "@/lib/api/schemas";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { listUserSessions } from "@/prisma-free-db/queries/conversations";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/sessions - the caller's chat sessions, newest activity first
  GET: route(listSessionsRoute, async ({ caller, params, query, db }) => {
    const { items, total } = await listUserSessions(db, { projectId: params.project_id, userId: caller.user.id, limit: query.limit, offset: query.offset });
    return { message: "Chat sessions", data: items, metadata: paginationMeta(total, query.limit, query.offset) };
  }),
});
