import { listMyProviders } from "@/lib/api/contracts/providers";
import { route } from "@/lib/http/route";
import { listProviderViews } from "@/lib/llm/user-providers";

// GET /api/v1/me/providers - the LLM providers the caller can use (never a key)
export const GET = route(listMyProviders, async ({ caller }) => ({ message: "Providers", data: await listProviderViews(caller.user.id) }));
