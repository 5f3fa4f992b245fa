import { oauthCallback } from "@/lib/api/contracts/auth";
import { nextAuthRoute } from "@/lib/http/next-auth-route";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { NextRequest } from "next/server";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/auth/{provider}/callback - the provider's return to Slipway, handled as next-auth's callback/{provider}
  GET: route(oauthCallback, async ({ req, params, requestId, log }) => {
    const url = new URL(req.url);
    url.pathname = `/api/v1/auth/callback/${params.provider}`;
    return nextAuthRoute(new NextRequest(url, { method: "GET", headers: req.headers }), ["callback", params.provider], { requestId, log });
  }),
});
