import { nextAuthGet, nextAuthPost } from "@/lib/api/contracts/auth";
import { nextAuthRoute } from "@/lib/http/next-auth-route";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/auth/* - next-auth (session, csrf, providers, signin, signout, error, callback/{provider})
  GET: route(nextAuthGet, async ({ req, params, requestId, log }) => nextAuthRoute(req, params.nextauth, { requestId, log })),

  // POST /api/v1/auth/* - next-auth (signin/{provider}, callback/{provider}, signout, session)
  POST: route(nextAuthPost, async ({ req, params, requestId, log }) => nextAuthRoute(req, params.nextauth, { requestId, log })),
});
