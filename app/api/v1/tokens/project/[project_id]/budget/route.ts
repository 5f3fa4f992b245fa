import { getProjectBudget, putProjectBudget } from "@/lib/api/contracts/usage";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { budgetState } from "@/lib/usage/budget";
import { rememberTokenBudget } from "@/lib/usage/budget-cache";
import { setTokenBudget } from "@/prisma-free-db/queries/token-usage";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: route(getProjectBudget, async ({ caller, project, db }) => ({
    message: "Project budget",
    data: await budgetState(db, { projectId: project.id, userId: caller.user.id }),
  })),

  PUT: route(putProjectBudget, async ({ caller, project, body, db }) => {
    await setTokenBudget(db, { projectId: project.id, tokenBudget: body.token_budget });
    rememberTokenBudget(project.id, body.token_budget);
    return {
      message: body.token_budget === null ? "Budget removed" : "Budget set",
      data: await budgetState(db, { projectId: project.id, userId: caller.user.id }),
    };
  }),
});
