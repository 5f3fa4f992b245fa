import { createVercelDeployment, listVercelDeployments } from "@/lib/api/contracts/deployments";
import { deployToVercel, listProjectVercelDeployments } from "@/lib/deploys/vercel-deploy";
import { route } from "@/lib/http/route";

// POST /api/v1/projects/{project_id}/vercel/deployments - deploy the current checkpoint to Vercel
export const POST = route(createVercelDeployment, async ({ project, body }) => {
  const deployment = await deployToVercel(project, { name: body?.name });
  const message =
    deployment.state === "READY"
      ? `Deployed to ${deployment.url}`
      : deployment.state === "ERROR"
        ? "The Vercel build failed"
        : `Vercel is still building (${deployment.state})`;
  return { message, data: deployment, status: 201 };
});

// GET /api/v1/projects/{project_id}/vercel/deployments - this project's Vercel deployments
export const GET = route(listVercelDeployments, async ({ project }) => ({
  message: "Vercel deployments",
  data: await listProjectVercelDeployments(project),
}));
