import { projectUsage } from "@/lib/api/contracts/usage";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { budgetState } from "@/lib/usage/budget";
import { projectTotals, projectUsageByModel, projectUsageBySession } from "@/prisma-free-db/queries/token-usage";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: route(projectUsage, async ({ caller, project, db }) => {
    const scope = { projectId: project.id, userId: caller.user.id };
    const [totals, by_session, by_model, budget] = await Promise.all([
      projectTotals(db, scope),
      projectUsageBySession(db, scope),
      projectUsageByModel(db, scope),
      budgetState(db, scope),
    ]);
    return { message: "Project usage", data: { project_id: project.id, totals, by_session, by_model, budget } };
  }),
});
