import type { NextRequest } from "next/server";
import { ApiError } from "@/lib/errors";
import { errorResponse } from "./respond";
import type { Logger } from "@/lib/log";
import { authProviders, authRequestErrors, nextAuth } from "@/lib/auth/auth";

type Method = "GET" | "POST";

/** The next-auth endpoints Slipway serves under /api/v1/auth, by shape, with their methods. */
const endpoints: Record<string, Method[]> = {
  providers: ["GET"],
  csrf: ["GET"],
  session: ["GET", "POST"],
  signin: ["GET"],
  signout: ["GET", "POST"],
  error: ["GET"],
  "signin/{provider}": ["POST"],
  "callback/{provider}": ["GET", "POST"],
};

const CSRF_MESSAGE = "Missing or invalid CSRF token: send the csrfToken from GET /api/v1/auth/csrf, with the cookie that response sets";

function configured(provider: string): boolean {
  const providers: Record<string, boolean> = authProviders();
  return Object.hasOwn(providers, provider) && providers[provider] === true;
}

/** The one error body for what next-auth refused, from the error it reported (its own answer is a bare string or null). */
function refusal(error: Error | undefined, status: number): ApiError {
  const type = (error as { type?: string } | undefined)?.type ?? error?.name;
  if (type === "MissingCSRF") return new ApiError("forbidden", CSRF_MESSAGE);
  if (status >= 500) return new ApiError("internal", "Internal server error");
  if (type === "SyntaxError") return new ApiError("bad_request", "Malformed JSON body");
  return new ApiError("bad_request", "The sign-in request was not valid");
}

/**
 * next-auth behind the API's rules: unknown endpoints and providers are 404, a wrong method 405, and what next-auth
 * refuses comes back in the one error body. Its sign-in flows are untouched: browser navigations (GET) keep their
 * redirects to the sign-in page, and so does a refused local password (the page says it was not accepted); a
 * refused POST is otherwise an API call and gets its status (a bad CSRF token 403, anything else 400).
 */
export async function nextAuthRoute(req: Request, segments: string[], ctx: { requestId: string; log: Logger }): Promise<Response> {
  const method = req.method as Method;
  const pathname = new URL(req.url).pathname;
  const [action = "", provider, ...rest] = segments;
  const methods = rest.length === 0 ? endpoints[provider === undefined ? action : `${action}/{provider}`] : undefined;
  if (!methods) throw new ApiError("not_found", `No route for ${method} ${pathname}`);
  if (provider !== undefined && !configured(provider)) throw new ApiError("not_found", `${provider} sign-in is not configured on this server`);
  // The local (credentials) provider signs in by a form POST only.
  const allowed = provider === "local" && action === "callback" ? ["POST"] : methods;
  if (!allowed.includes(method)) {
    const res = errorResponse(
      new ApiError("method_not_allowed", `Method ${method} is not allowed on ${pathname}; allowed: ${allowed.join(", ")}`),
      ctx.requestId,
      ctx.log,
    );
    res.headers.set("allow", [...allowed, "OPTIONS"].join(", "));
    return res;
  }

  const seen: { error?: Error } = {};
  const handlers = nextAuth().handlers;
  const res = await authRequestErrors.run(seen, () => (method === "GET" ? handlers.GET : handlers.POST)(req as NextRequest));
  if (res.status >= 400) return errorResponse(refusal(seen.error, res.status), ctx.requestId, ctx.log);
  const location = res.headers.get("location");
  const refusedPost = method === "POST" && location !== null && new URL(location, req.url).searchParams.has("error");
  if (refusedPost && (seen.error as { type?: string } | undefined)?.type !== "CredentialsSignin") {
    return errorResponse(refusal(seen.error, 400), ctx.requestId, ctx.log);
  }
  return res;
}
