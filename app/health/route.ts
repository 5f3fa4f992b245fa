import { rootHealth } from "@/lib/api/contracts/system";
import { route } from "@/lib/http/route";
import { healthReport } from "@/lib/system/health";

// GET /health - alias of /api/v1/health
export const GET = route(rootHealth, async () => {
  const report = await healthReport();
  return { message: report.status === "ok" ? "Healthy" : "Degraded", data: report, status: report.database.ok ? 200 : 503 };
});
