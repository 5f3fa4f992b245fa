import { connectGithub, disconnectGithub } from "@/lib/api/contracts/deployments";
import { route } from "@/lib/http/route";
import { connectIntegration, disconnectIntegration } from "@/lib/integrations/store";

// POST /api/v1/integrations/github - connect GitHub with a personal access token
export const POST = route(connectGithub, async ({ caller, body }) => ({
  message: "GitHub connected",
  data: await connectIntegration(caller.user.id, { provider: "github", token: body.token }),
}));

// DELETE /api/v1/integrations/github - disconnect and delete the stored token
export const DELETE = route(disconnectGithub, async ({ caller }) => ({
  message: "GitHub disconnected",
  data: await disconnectIntegration(caller.user.id, "github"),
}));
