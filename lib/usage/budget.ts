import type { Queryable } from "@/prisma-free-db/client";
import { getTokenBudget, projectTotals } from "@/prisma-free-db/queries/token-usage";

export interface BudgetState {
  project_id: string;
  token_budget: number | null;
  used_tokens: number;
  remaining_tokens: number | null;
}

/** The project's budget and use (input + output tokens of every recorded LLM call). */
export async function budgetState(db: Queryable, { projectId, userId }: { projectId: string; userId: string }): Promise<BudgetState> {
  const [budget, totals] = await Promise.all([getTokenBudget(db, { projectId }), projectTotals(db, { projectId, userId })]);
  return {
    project_id: projectId,
    token_budget: budget,
    used_tokens: totals.total_tokens,
    remaining_tokens: budget === null ? null : Math.max(0, budget - totals.total_tokens),
  };
}
