import { listTemplatesRoute } from "@/lib/api/contracts/projects";
import { route } from "@/lib/http/route";
import { isTemplateCacheWarm } from "@/lib/templates/cache";
import { listTemplates } from "@/lib/templates/catalog";

// GET /api/v1/templates - the project templates
export const GET = route(listTemplatesRoute, async () => ({
  message: "Templates",
  data: listTemplates().map((t) => ({ ...t, dependencies_cached: !t.hasDependencies || isTemplateCacheWarm(t.name) })),
}));
