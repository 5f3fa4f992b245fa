import { rootHealth } from "@/lib/api/contracts/system";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { healthReport } from "@/lib/system/health";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /health - alias of /api/v1/health
  GET: route(rootHealth, async () => {
    const report = await healthReport();
    return { message: report.status === "ok" ? "Healthy" : "Degraded", data: report, status: report.database.ok ? 200 : 503 };
  }),
});
