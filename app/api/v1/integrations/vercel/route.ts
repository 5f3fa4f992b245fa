import { connectVercel, disconnectVercel } from "@/lib/api/contracts/deployments";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { connectIntegration, disconnectIntegration } from "@/lib/integrations/store";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/integrations/vercel - connect Vercel with an access token (optionally a team)
  POST: route(connectVercel, async ({ caller, body }) => ({
    message: "Vercel connected",
    data: await connectIntegration(caller.user.id, { provider: "vercel", token: body.token, teamId: body.team_id }),
  })),

  // DELETE /api/v1/integrations/vercel - disconnect and delete the stored token
  DELETE: route(disconnectVercel, async ({ caller }) => ({
    message: "Vercel disconnected",
    data: await disconnectIntegration(caller.user.id, "vercel"),
  })),
});
