import { projectUsage } from "@/lib/api/contracts/usage";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { budgetState } from "@/lib/usage/budget";
import { getDb } from "@/prisma-free-db/client";
import { getOwnedProject } from "@/prisma-free-db/queries/projects";
import { projectTotals, projectUsageByModel, projectUsageBySession } from "@/prisma-free-db/queries/token-usage";

export const GET = route(projectUsage, async ({ caller, params }) => {
  const db = await getDb();
  if (!(await getOwnedProject(db, { id: params.project_id, ownerId: caller.user.id }))) throw notFound("Project");
  const scope = { projectId: params.project_id, userId: caller.user.id };
  const [totals, by_session, by_model, budget] = await Promise.all([
    projectTotals(db, scope),
    projectUsageBySession(db, scope),
    projectUsageByModel(db, scope),
    budgetState(db, scope),
  ]);
  return { message: "Project usage", data: { project_id: params.project_id, totals, by_session, by_model, budget } };
});
