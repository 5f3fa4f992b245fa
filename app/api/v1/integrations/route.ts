import { listIntegrations } from "@/lib/api/contracts/deployments";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { listIntegrationViews } from "@/lib/integrations/store";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/integrations - connected providers (never the tokens)
  GET: route(listIntegrations, async ({ caller }) => ({
    message: "Integrations",
    data: await listIntegrationViews(caller.user.id),
  })),
});
