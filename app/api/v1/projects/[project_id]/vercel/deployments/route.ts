import { createVercelDeployment, listVercelDeployments } from "@/lib/api/contracts/deployments";
import { deployToVercel, listProjectVercelDeployments } from "@/lib/deploys/vercel-deploy";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/vercel/deployments - deploy the current checkpoint to Vercel
  POST: route(createVercelDeployment, async ({ project, body }) => {
    const deployment = await deployToVercel(project, { name: body?.name });
    const message =
      deployment.state === "READY"
        ? `Deployed to ${deployment.url}`
        : deployment.state === "ERROR"
          ? "The Vercel build failed"
          : `Vercel is still building (${deployment.state})`;
    return { message, data: deployment, status: 201 };
  }),

  // GET /api/v1/projects/{project_id}/vercel/deployments - this project's Vercel deployments
  GET: route(listVercelDeployments, async ({ project }) => ({
    message: "Vercel deployments",
    data: await listProjectVercelDeployments(project),
  })),
});
