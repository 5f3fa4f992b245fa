import { testMyProvider } from "@/lib/api/contracts/providers";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { knownProvider } from "@/lib/llm/known-provider";
import { testProvider } from "@/lib/llm/provider-test";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/me/providers/{provider}/test - one live call with the caller's (else the server's) settings
  POST: route(testMyProvider, async ({ caller, params }) => {
    const result = await testProvider(caller.user.id, knownProvider(params.provider));
    return { message: result.ok ? "The provider answered" : "The provider test failed", data: result };
  }),
});
