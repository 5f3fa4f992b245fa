import { connectGithub, disconnectGithub } from "@/lib/api/contracts/deployments";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { connectIntegration, disconnectIntegration } from "@/lib/integrations/store";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/integrations/github - connect GitHub with a personal access token
  POST: route(connectGithub, async ({ caller, body }) => ({
    message: "GitHub connected",
    data: await connectIntegration(caller.user.id, { provider: "github", token: body.token }),
  })),

  // DELETE /api/v1/integrations/github - disconnect and delete the stored token
  DELETE: route(disconnectGithub, async ({ caller }) => ({
    message: "GitHub disconnected",
    data: await disconnectIntegration(caller.user.id, "github"),
  })),
});
