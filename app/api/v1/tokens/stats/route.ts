import { usageStats } from "@/lib/api/contracts/usage";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { userTotals, userUsageByDay, userUsageByModel, userUsageByProject } from "@/prisma-free-db/queries/token-usage";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: route(usageStats, async ({ caller, query, db }) => {
    const since = new Date(Date.now() - query.days * 86_400_000);
    since.setUTCHours(0, 0, 0, 0);
    const scope = { userId: caller.user.id, since: since.toISOString() };
    const [totals, by_day, by_model, by_project] = await Promise.all([
      userTotals(db, scope),
      userUsageByDay(db, scope),
      userUsageByModel(db, scope),
      userUsageByProject(db, scope),
    ]);
    return { message: "Usage statistics", data: { since: scope.since, totals, by_day, by_model, by_project } };
  }),
});
