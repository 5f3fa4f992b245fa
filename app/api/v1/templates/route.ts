import { listTemplatesRoute } from "@/lib/api/contracts/projects";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { isTemplateCacheWarm } from "@/lib/templates/cache";
import { listTemplates } from "@/lib/templates/catalog";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/templates - the project templates
  GET: route(listTemplatesRoute, async () => ({
    message: "Templates",
    data: listTemplates().map((t) => ({ ...t, dependencies_cached: !t.hasDependencies || isTemplateCacheWarm(t.name) })),
  })),
});
