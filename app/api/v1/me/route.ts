import { me } from "@/lib/api/contracts/system";
import { cachedIdentities } from "@/lib/auth/lookup-cache";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { listAccountsForUser } from "@/prisma-free-db/queries/accounts";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/me - the caller
  GET: route(me, async ({ caller, db }) => {
    const accounts = await cachedIdentities(caller.user.id, () => listAccountsForUser(db, { userId: caller.user.id }));
    return {
      message: "Current user",
      data: { ...caller.user, identities: accounts.map((a) => ({ provider: a.provider })), authenticated_via: caller.via },
    };
  }),
});
