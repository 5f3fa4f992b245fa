import { deleteDeploymentRoute, getDeploymentRoute, updateDeploymentRoute } from "@/lib/api/contracts/deployments";
import { changeVisibility, getProjectDeployment, removeDeployment } from "@/lib/deploys/service";
import { route } from "@/lib/http/route";

// GET /api/v1/projects/{project_id}/deployments/{deployment_id} - one deployment with its log
export const GET = route(getDeploymentRoute, async ({ project, params }) => ({
  message: "Deployment",
  data: await getProjectDeployment(project, params.deployment_id),
}));

// PATCH /api/v1/projects/{project_id}/deployments/{deployment_id} - change visibility
export const PATCH = route(updateDeploymentRoute, async ({ project, params, body }) => ({
  message: `Deployment is now ${body.visibility}`,
  data: await changeVisibility(project, params.deployment_id, body.visibility),
}));

// DELETE /api/v1/projects/{project_id}/deployments/{deployment_id} - delete it and its files
export const DELETE = route(deleteDeploymentRoute, async ({ project, params }) => ({
  message: "Deployment deleted",
  data: await removeDeployment(project, params.deployment_id),
}));
