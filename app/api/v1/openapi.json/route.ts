import { openapi } from "@/lib/api/contracts/system";
import { openApiDocument } from "@/lib/api/openapi";
import { env } from "@/lib/env";
import { route } from "@/lib/http/route";

// GET /api/v1/openapi.json - the generated OpenAPI document
export const GET = route(openapi, async () => Response.json(openApiDocument(env().WEB_URL)));
