import { getProjectBudget, putProjectBudget } from "@/lib/api/contracts/usage";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { budgetState } from "@/lib/usage/budget";
import { rememberTokenBudget } from "@/lib/usage/budget-cache";
import { getDb } from "@/prisma-free-db/client";
import { getOwnedProject } from "@/prisma-free-db/queries/projects";
import { setTokenBudget } from "@/prisma-free-db/queries/token-usage";

async function ownedProjectId(userId: string, projectId: string) {
  if (!(await getOwnedProject(await getDb(), { id: projectId, ownerId: userId }))) throw notFound("Project");
  return projectId;
}

export const GET = route(getProjectBudget, async ({ caller, params }) => {
  const projectId = await ownedProjectId(caller.user.id, params.project_id);
  return { message: "Project budget", data: await budgetState(await getDb(), { projectId, userId: caller.user.id }) };
});

export const PUT = route(putProjectBudget, async ({ caller, params, body }) => {
  const projectId = await ownedProjectId(caller.user.id, params.project_id);
  const db = await getDb();
  await setTokenBudget(db, { projectId, tokenBudget: body.token_budget });
  rememberTokenBudget(projectId, body.token_budget);
  return { message: body.token_budget === null ? "Budget removed" : "Budget set", data: await budgetState(db, { projectId, userId: caller.user.id }) };
});
