import { treeRoute } from "@/lib/api/contracts/files";
import { listTree } from "@/lib/files/service";
import { route } from "@/lib/http/route";

// GET /api/v1/projects/{project_id}/files - recursive tree
export const GET = route(treeRoute, async ({ params, query }) => {
  const { entries, truncated } = await listTree(params.project_id, { path: query.path, includeIgnored: query.include_ignored });
  return { message: "File tree", data: entries, metadata: { count: entries.length, truncated } };
});
