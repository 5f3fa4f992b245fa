import { createApiKey as createContract, listApiKeys } from "@/lib/api/contracts/api-keys";
import { createApiKey } from "@/lib/auth/api-keys";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { getApiToken, listApiTokens } from "@/prisma-free-db/queries/api-tokens";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/api-keys - the caller's keys
  GET: route(listApiKeys, async ({ caller, db }) => {
    const keys = await listApiTokens(db, { userId: caller.user.id });
    return { message: "API keys", data: keys.map(({ user_id: _u, ...k }) => k) };
  }),

  // POST /api/v1/api-keys - create a key (secret shown once)
  POST: route(createContract, async ({ caller, body, db }) => {
    const { id, secret } = await createApiKey(db, { userId: caller.user.id, name: body.name });
    const key = await getApiToken(db, { id, userId: caller.user.id });
    if (!key) throw new Error("created key not found");
    const { user_id: _u, ...rest } = key;
    return { message: "API key created; copy the secret now, it is not shown again", data: { ...rest, secret }, status: 201 };
  }),
});
