import { promoteDeploymentRoute } from "@/lib/api/contracts/deployments";
import { promote } from "@/lib/deploys/service";
import { route } from "@/lib/http/route";

// POST /api/v1/projects/{project_id}/deployments/{deployment_id}/promote - serve it at the stable URL
export const POST = route(promoteDeploymentRoute, async ({ project, params }) => {
  const deployment = await promote(project, params.deployment_id);
  return { message: `Promoted: ${deployment.stable_url} now serves this deployment`, data: deployment };
});
