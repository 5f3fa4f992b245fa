import { deleteMyProvider, putMyProvider } from "@/lib/api/contracts/providers";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { knownProvider } from "@/lib/llm/known-provider";
import { removeUserProvider, saveUserProvider } from "@/lib/llm/user-providers";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // PUT /api/v1/me/providers/{provider} - store the caller's key / base URL
  PUT: route(putMyProvider, async ({ caller, params, body }) => ({
    message: "Provider saved",
    data: await saveUserProvider(caller.user.id, knownProvider(params.provider), body),
  })),

  // DELETE /api/v1/me/providers/{provider} - remove the caller's settings
  DELETE: route(deleteMyProvider, async ({ caller, params }) => ({
    message: "Provider removed",
    data: await removeUserProvider(caller.user.id, knownProvider(params.provider)),
  })),
});
