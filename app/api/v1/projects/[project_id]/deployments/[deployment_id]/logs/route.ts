import { deploymentLogsRoute } from "@/lib/api/contracts/deployments";
import { followDeploymentLog } from "@/lib/deploys/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/deployments/{deployment_id}/logs - the build log as server-sent events, followed until the build ends
  GET: route(deploymentLogsRoute, async ({ req, project, params }) => {
    const stream = await followDeploymentLog(project, params.deployment_id, req.signal);
    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        // no-transform: the server's compression must not hold events back.
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
    });
  }),
});
