import { listTemplatesRoute } from "@/lib/api/contracts/projects";
import { route } from "@/lib/http/route";
import { isTemplateCacheWarm } from "@/lib/projects/template-cache";
import { listTemplates } from "@/lib/projects/templates";

// GET /api/v1/templates - the project templates
export const GET = route(listTemplatesRoute, async () => ({
  message: "Templates",
  data: listTemplates().map((t) => ({ ...t, dependencies_cached: !t.hasDependencies || isTemplateCacheWarm(t.name) })),
}));
