import { z } from "zod";
import { defineRoute } from "@/lib/http/contract";

const provider = z.enum(["google", "github"], { error: "must be google or github" });

export const oauthLogin = defineRoute({
  method: "GET",
  path: "/api/v1/auth/{provider}/login",
  summary:
    "Start the OAuth flow (redirects to the provider). The provider returns to /api/v1/auth/callback/{provider}; with ?link=1 a signed-in user attaches this identity to their account",
  tag: "Authentication",
  auth: "none",
  params: z.object({ provider }),
  query: z.object({ redirect_to: z.string().startsWith("/").optional(), link: z.enum(["1"]).optional() }),
  produces: "text/html",
});

const nextAuthParams = z.object({ nextauth: z.array(z.string()) });

export const nextAuthGet = defineRoute({
  method: "GET",
  path: "/api/v1/auth/{nextauth}",
  summary: "next-auth endpoints: session, csrf, providers, signin, signout, callback/{provider}",
  tag: "Authentication",
  auth: "none",
  params: nextAuthParams,
  produces: "text/html",
});

export const nextAuthPost = defineRoute({ ...nextAuthGet, method: "POST", bodyKind: "binary" });

export const authContracts = [oauthLogin, nextAuthGet, nextAuthPost];
