import type { Queryable } from "@/prisma-free-db/client";
import { getTokenBudget } from "@/prisma-free-db/queries/token-usage";
import { singleton } from "@/lib/shared/singleton";

// One per process: the budget route (a Next route bundle) updates what the chat turns (server.ts) read.
const budgets = () => singleton("tokenBudgets", () => new Map<string, number | null>());

/** The project's token budget (null: none), read from the database once per process. */
export async function cachedTokenBudget(db: Queryable, projectId: string): Promise<number | null> {
  const known = budgets().get(projectId);
  if (known !== undefined) return known;
  const budget = await getTokenBudget(db, { projectId });
  budgets().set(projectId, budget);
  return budget;
}

/** Call after writing a budget (this process is the only writer of the database). */
export function rememberTokenBudget(projectId: string, budget: number | null) {
  budgets().set(projectId, budget);
}
