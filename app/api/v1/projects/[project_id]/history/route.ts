import { historyRoute } from "@/lib/api/contracts/projects";
import { paginationMeta } from "@/lib/api/schemas";
import { listHistory } from "@/lib/checkpoints/history";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/history - checkpoints, newest first, with change counts and the turn that made each
  GET: route(historyRoute, async ({ params, query }) => {
    const { items, total } = await listHistory(params.project_id, query);
    return { message: "Checkpoints", data: items, metadata: paginationMeta(total, query.limit, query.offset) };
  }),
});
