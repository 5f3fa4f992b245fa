import { me } from "@/lib/api/contracts/system";
import { cachedIdentities } from "@/lib/auth/lookup-cache";
import { route } from "@/lib/http/route";
import { listAccountsForUser } from "@/prisma-free-db/queries/accounts";

// GET /api/v1/me - the caller
export const GET = route(me, async ({ caller, db }) => {
  const accounts = await cachedIdentities(caller.user.id, () => listAccountsForUser(db, { userId: caller.user.id }));
  return {
    message: "Current user",
    data: { ...caller.user, identities: accounts.map((a) => ({ provider: a.provider })), authenticated_via: caller.via },
  };
});
