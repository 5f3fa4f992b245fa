import { z } from "zod";
import { defineRoute } from "@/lib/api/contract";

const provider = z.enum(["google", "github"], { error: "must be google or github" });

export const oauthLogin = defineRoute({
  method: "GET",
  path: "/api/v1/auth/{provider}/login",
  summary:
    "Start the OAuth flow (redirects to the provider). The provider returns to /api/v1/auth/{provider}/callback (or to next-auth's /api/v1/auth/callback/{provider} with OAUTH_CALLBACK_PATH=next-auth); with ?link=1 a signed-in user attaches this identity to their account",
  tag: "Authentication",
  auth: "none",
  params: z.object({ provider }),
  query: z.object({ redirect_to: z.string().startsWith("/").optional(), link: z.enum(["1"]).optional() }),
  produces: "text/html",
});

export const oauthCallback = defineRoute({
  method: "GET",
  path: "/api/v1/auth/{provider}/callback",
  summary:
    "Where Google or GitHub return after sign-in (the same handling as next-auth's /api/v1/auth/callback/{provider}): signs the user in and redirects to the page the login asked for; an unconfigured provider is a 404",
  tag: "Authentication",
  auth: "none",
  params: z.object({ provider }),
  produces: "text/html",
});

const nextAuthParams = z.object({ nextauth: z.array(z.string()) });

export const nextAuthGet = defineRoute({
  method: "GET",
  path: "/api/v1/auth/{nextauth}",
  summary:
    "next-auth endpoints: session, csrf, providers, signin, signout, error, callback/{provider}; an unknown endpoint or provider is a 404, a wrong method a 405",
  tag: "Authentication",
  auth: "none",
  params: nextAuthParams,
  produces: "text/html",
});

export const nextAuthPost = defineRoute({
  ...nextAuthGet,
  method: "POST",
  summary:
    "next-auth form posts: signin/{provider}, callback/{provider}, signout, session. A missing or invalid csrfToken is a 403, a malformed request a 400; a refused local password redirects to /signin?error=CredentialsSignin",
  bodyKind: "binary",
});

export const authContracts = [oauthLogin, oauthCallback, nextAuthGet, nextAuthPost];
