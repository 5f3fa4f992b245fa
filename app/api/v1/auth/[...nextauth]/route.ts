import { nextAuthGet, nextAuthPost } from "@/lib/api/contracts/auth";
import { nextAuthRoute } from "@/lib/http/next-auth-route";
import { route } from "@/lib/http/route";

// GET /api/v1/auth/* - next-auth (session, csrf, providers, signin, signout, error, callback/{provider})
export const GET = route(nextAuthGet, async ({ req, params, requestId, log }) => nextAuthRoute(req, params.nextauth, { requestId, log }));

// POST /api/v1/auth/* - next-auth (signin/{provider}, callback/{provider}, signout, session)
export const POST = route(nextAuthPost, async ({ req, params, requestId, log }) => nextAuthRoute(req, params.nextauth, { requestId, log }));
