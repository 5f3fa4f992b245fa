import { revokeApiKey } from "@/lib/api/contracts/api-keys";
import { forgetApiKey } from "@/lib/auth/lookup-cache";
import { notFound } from "@/lib/errors";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { getApiToken, revokeApiToken } from "@/prisma-free-db/queries/api-tokens";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // DELETE /api/v1/api-keys/{key_id} - revoke a key
  DELETE: route(revokeApiKey, async ({ caller, params, db }) => {
    const userId = caller.user.id;
    if (!(await getApiToken(db, { id: params.key_id, userId }))) throw notFound("API key");
    await revokeApiToken(db, { id: params.key_id, userId });
    forgetApiKey(params.key_id);
    const key = await getApiToken(db, { id: params.key_id, userId });
    if (!key) throw notFound("API key");
    const { user_id: _u, ...rest } = key;
    return { message: "API key revoked", data: rest };
  }),
});
