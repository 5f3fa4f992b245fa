import { promoteDeploymentRoute } from "@/lib/api/contracts/deployments";
import { promote } from "@/lib/deploys/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/deployments/{deployment_id}/promote - serve it at the stable URL
  POST: route(promoteDeploymentRoute, async ({ project, params }) => {
    const deployment = await promote(project, params.deployment_id);
    return { message: `Promoted: ${deployment.stable_url} now serves this deployment`, data: deployment };
  }),
});
