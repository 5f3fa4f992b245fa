import { deleteDeploymentRoute, getDeploymentRoute, updateDeploymentRoute } from "@/lib/api/contracts/deployments";
import { changeVisibility, getProjectDeployment, removeDeployment } from "@/lib/deploys/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/deployments/{deployment_id} - one deployment with its log
  GET: route(getDeploymentRoute, async ({ project, params }) => ({
    message: "Deployment",
    data: await getProjectDeployment(project, params.deployment_id),
  })),

  // PATCH /api/v1/projects/{project_id}/deployments/{deployment_id} - change visibility
  PATCH: route(updateDeploymentRoute, async ({ project, params, body }) => ({
    message: `Deployment is now ${body.visibility}`,
    data: await changeVisibility(project, params.deployment_id, body.visibility),
  })),

  // DELETE /api/v1/projects/{project_id}/deployments/{deployment_id} - delete it and its files
  DELETE: route(deleteDeploymentRoute, async ({ project, params }) => ({
    message: "Deployment deleted",
    data: await removeDeployment(project, params.deployment_id),
  })),
});
