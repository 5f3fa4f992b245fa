import { oauthLogin } from "@/lib/api/contracts/auth";
import { authProviders, nextAuth } from "@/lib/auth/auth";
import { LINK_COOKIE, makeLinkCookie } from "@/lib/auth/link-cookie";
import { withConfiguredRedirect } from "@/lib/auth/oauth-callback";
import { ApiError } from "@/lib/errors";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { cookies } from "next/headers";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/auth/{provider}/login - start Google/GitHub OAuth
  GET: route(oauthLogin, async ({ params, query, caller }) => {
    if (!authProviders()[params.provider]) {
      throw new ApiError("not_found", `${params.provider} sign-in is not configured on this server`);
    }
    if (query.link && caller) {
      (await cookies()).set(LINK_COOKIE, makeLinkCookie(caller.user.id), { httpOnly: true, sameSite: "lax", path: "/", maxAge: 600 });
    }
    const location = await nextAuth().signIn(params.provider, { redirect: false, redirectTo: query.redirect_to ?? "/" });
    return new Response(null, { status: 302, headers: { location: withConfiguredRedirect(String(location)) } });
  }),
});
