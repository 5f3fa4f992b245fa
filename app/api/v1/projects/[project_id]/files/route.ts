import { treeRoute } from "@/lib/api/contracts/files";
import { listTree } from "@/lib/files/service";
import { route } from "@/lib/http/route";
import { requireOwnedProject } from "@/lib/projects/service";

// GET /api/v1/projects/{project_id}/files - recursive tree
export const GET = route(treeRoute, async ({ caller, params, query }) => {
  await requireOwnedProject(caller.user.id, params.project_id);
  const { entries, truncated } = await listTree(params.project_id, { path: query.path, includeIgnored: query.include_ignored });
  return { message: "File tree", data: entries, metadata: { count: entries.length, truncated } };
});
