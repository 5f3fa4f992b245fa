import { connectVercel, disconnectVercel } from "@/lib/api/contracts/deployments";
import { route } from "@/lib/http/route";
import { connectIntegration, disconnectIntegration } from "@/lib/integrations/store";

// POST /api/v1/integrations/vercel - connect Vercel with an access token (optionally a team)
export const POST = route(connectVercel, async ({ caller, body }) => ({
  message: "Vercel connected",
  data: await connectIntegration(caller.user.id, { provider: "vercel", token: body.token, teamId: body.team_id }),
}));

// DELETE /api/v1/integrations/vercel - disconnect and delete the stored token
export const DELETE = route(disconnectVercel, async ({ caller }) => ({
  message: "Vercel disconnected",
  data: await disconnectIntegration(caller.user.id, "vercel"),
}));
