import { conversationsRoute } from "@/lib/api/contracts/projects";
import { paginationMeta } from "@/lib/api/schemas";
import { attachmentsOfParts } from "@/lib/chat/images";
import { route } from "@/lib/http/route";
import { requireOwnedProject } from "@/lib/projects/service";
import { getDb } from "@/prisma-free-db/client";
import { listProjectMessages, listProjectSessions } from "@/prisma-free-db/queries/conversations";

export const dynamic = "force-dynamic";

// GET /api/v1/projects/{project_id}/conversations - chat messages, oldest first
export const GET = route(conversationsRoute, async ({ caller, params, query }) => {
  await requireOwnedProject(caller.user.id, params.project_id);
  const db = await getDb();
  const { items, total } = await listProjectMessages(db, { projectId: params.project_id, sessionId: query.session_id, limit: query.limit, offset: query.offset });
  const sessions = await listProjectSessions(db, { projectId: params.project_id });
  return {
    message: "Conversations",
    data: items.map(({ project_id: _p, user_id: _u, ...m }) => ({ ...m, attachments: attachmentsOfParts(m.parts) })),
    metadata: { ...paginationMeta(total, query.limit, query.offset), sessions },
  };
});
