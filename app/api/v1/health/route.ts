import { health } from "@/lib/api/contracts/system";
import { route } from "@/lib/http/route";
import { healthReport } from "@/lib/system/health";

// GET /api/v1/health - database, engine and provider status
export const GET = route(health, async () => {
  const report = await healthReport();
  return { message: report.status === "ok" ? "Healthy" : "Degraded", data: report, status: report.database.ok ? 200 : 503 };
});
