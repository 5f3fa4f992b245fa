import { listIntegrations } from "@/lib/api/contracts/deployments";
import { route } from "@/lib/http/route";
import { listIntegrationViews } from "@/lib/integrations/store";

// GET /api/v1/integrations - connected providers (never the tokens)
export const GET = route(listIntegrations, async ({ caller }) => ({
  message: "Integrations",
  data: await listIntegrationViews(caller.user.id),
}));
