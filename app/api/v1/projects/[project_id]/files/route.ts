import { treeRoute } from "@/lib/api/contracts/files";
import { listTree } from "@/lib/files/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/files - recursive tree
  GET: route(treeRoute, async ({ params, query }) => {
    const { entries, truncated } = await listTree(params.project_id, { path: query.path, includeIgnored: query.include_ignored });
    return { message: "File tree", data: entries, metadata: { count: entries.length, truncated } };
  }),
});
