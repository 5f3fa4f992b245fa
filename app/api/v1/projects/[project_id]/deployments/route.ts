import { createDeploymentRoute, listDeploymentsRoute } from "@/lib/api/contracts/deployments";
import { paginationMeta } from "@/lib/api/schemas";
import { createDeployment, listProjectDeployments } from "@/lib/deploys/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/deployments - build the current checkpoint (202, poll for the state)
  POST: route(createDeploymentRoute, async ({ project, body }) => {
    const deployment = await createDeployment(project, { visibility: body?.visibility ?? "private", promote: body?.promote ?? true });
    return { message: "Deployment queued", data: deployment, status: 202 };
  }),

  // GET /api/v1/projects/{project_id}/deployments - newest first
  GET: route(listDeploymentsRoute, async ({ project, query }) => {
    const { items, total } = await listProjectDeployments(project, query);
    return { message: "Deployments", data: items, metadata: paginationMeta(total, query.limit, query.offset) };
  }),
});
