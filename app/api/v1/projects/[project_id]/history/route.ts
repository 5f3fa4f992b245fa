import { historyRoute } from "@/lib/api/contracts/projects";
import { paginationMeta } from "@/lib/api/schemas";
import { listCheckpoints } from "@/lib/checkpoints/service";
import { route } from "@/lib/http/route";
import { requireOwnedProject } from "@/lib/projects/service";

export const dynamic = "force-dynamic";

// GET /api/v1/projects/{project_id}/history - checkpoints, newest first
export const GET = route(historyRoute, async ({ caller, params, query }) => {
  await requireOwnedProject(caller.user.id, params.project_id);
  const { items, total } = await listCheckpoints(params.project_id, query);
  return { message: "Checkpoints", data: items, metadata: paginationMeta(total, query.limit, query.offset) };
});
