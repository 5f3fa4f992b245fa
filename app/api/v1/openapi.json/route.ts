import { openapi } from "@/lib/api/contracts/system";
import { openApiDocument } from "@/lib/api/openapi";
import { env } from "@/lib/env";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/openapi.json - the generated OpenAPI document
  GET: route(openapi, async () => Response.json(openApiDocument(env().WEB_URL))),
});
