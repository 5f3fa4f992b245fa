import { diffRoute } from "@/lib/api/contracts/projects";
import { diffCheckpoints } from "@/lib/checkpoints/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/diff?from=&to= - unified diff (to omitted: the current files)
  GET: route(diffRoute, async ({ params, query }) => {
    const diff = await diffCheckpoints(params.project_id, query.from, query.to, query.context);
    return new Response(diff, { headers: { "content-type": "text/x-diff; charset=utf-8", "cache-control": "no-store" } });
  }),
});
