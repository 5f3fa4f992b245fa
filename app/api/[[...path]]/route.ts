import { z } from "zod";
import { ApiError } from "@/lib/errors";
import { defineRoute } from "@/lib/api/contract";
import { route } from "@/lib/http/route";

// Not in the OpenAPI document on purpose: it is what answers when no route matches (optional catch-all, so /api too),
// for every method (HEAD runs GET's handler).
const unknownRoute = defineRoute({
  method: "GET",
  path: "/api/{path}",
  summary: "Unknown API route",
  tag: "System",
  auth: "none",
  params: z.object({ path: z.array(z.string()).optional() }),
});

const handler = route(unknownRoute, async ({ req }) => {
  throw new ApiError("not_found", `No route for ${req.method} ${new URL(req.url).pathname}`);
});

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE, handler as OPTIONS };
