import { listMyProviders } from "@/lib/api/contracts/providers";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { listProviderViews } from "@/lib/llm/user-providers";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/me/providers - the LLM providers the caller can use (never a key)
  GET: route(listMyProviders, async ({ caller }) => ({ message: "Providers", data: await listProviderViews(caller.user.id) })),
});
