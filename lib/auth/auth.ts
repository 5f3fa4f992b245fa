import NextAuth, { CredentialsSignin, customFetch, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { cookies } from "next/headers";
import { AsyncLocalStorage } from "node:async_hooks";
import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { identityOwner, resolveSignIn } from "./identity";
import { LINK_COOKIE, readLinkCookie } from "./link-cookie";
import { forgetSessions } from "./lookup-cache";
import { providerFetch } from "./oauth-callback";
import { singleton } from "@/lib/shared/singleton";

export const AUTH_BASE_PATH = "/api/v1/auth";

const localCredentials = z.object({
  username: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[\w.@-]+$/),
  password: z.string().max(256).optional(),
});

/**
 * The first error next-auth reports while handling a request run inside it (lib/http/next-auth-route.ts reads it).
 * One per process: next-auth is configured once, by whichever bundle's copy of this module comes first.
 */
export const authRequestErrors = singleton("authErrors", () => new AsyncLocalStorage<{ error?: Error }>());

function passwordMatches(given: string | undefined, expected: string): boolean {
  const a = Buffer.from(given ?? "");
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Which sign-in methods this server offers; the sign-in page and /health read it. */
export function authProviders() {
  const e = env();
  return { google: Boolean(e.GOOGLE_CLIENT_ID), github: Boolean(e.GITHUB_CLIENT_ID), local: e.localAuthEnabled };
}

function buildConfig(): NextAuthConfig {
  const e = env();
  const providers: NextAuthConfig["providers"] = [];
  if (e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET) {
    providers.push(Google({ clientId: e.GOOGLE_CLIENT_ID, clientSecret: e.GOOGLE_CLIENT_SECRET, issuer: e.GOOGLE_ISSUER, [customFetch]: providerFetch }));
  }
  if (e.GITHUB_CLIENT_ID && e.GITHUB_CLIENT_SECRET) {
    const enterprise = e.GITHUB_URL.replace(/\/$/, "") === "https://github.com" ? undefined : { baseUrl: e.GITHUB_URL.replace(/\/$/, "") };
    providers.push(GitHub({ clientId: e.GITHUB_CLIENT_ID, clientSecret: e.GITHUB_CLIENT_SECRET, enterprise, [customFetch]: providerFetch }));
  }
  if (e.localAuthEnabled) {
    providers.push(
      Credentials({
        id: "local",
        name: "Local",
        credentials: { username: { label: "Name" }, password: { label: "Password", type: "password" } },
        authorize: async (raw) => {
          const parsed = localCredentials.safeParse(raw);
          if (!parsed.success) throw new CredentialsSignin("invalid name");
          if (e.LOCAL_AUTH_PASSWORD && !passwordMatches(parsed.data.password, e.LOCAL_AUTH_PASSWORD)) {
            throw new CredentialsSignin("wrong password");
          }
          return { id: parsed.data.username, name: parsed.data.username, email: null };
        },
      }),
    );
  }

  return {
    basePath: AUTH_BASE_PATH,
    secret: e.AUTH_SECRET,
    trustHost: true,
    session: { strategy: "jwt", maxAge: 30 * 24 * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    providers,
    logger: {
      error: (error) => {
        const seen = authRequestErrors.getStore();
        if (seen && !seen.error) seen.error = error;
        log.warn("auth error", { module: "auth", error: error.name, detail: error.message });
      },
      warn: (code) => log.warn("auth warning", { module: "auth", code }),
      debug: () => undefined,
    },
    events: {
      // A signed-out session is decoded afresh if its cookie comes back (a JWT itself stays valid until it expires).
      signOut(message) {
        const uid = "token" in message ? message.token?.uid : undefined;
        if (typeof uid === "string") forgetSessions(uid);
      },
    },
    callbacks: {
      // Linking (?link=1) an identity that already belongs to another user is refused; nobody's account changes.
      async signIn({ account }) {
        if (!account) return true;
        const jar = await cookies();
        const linkTo = readLinkCookie(jar.get(LINK_COOKIE)?.value);
        if (!linkTo) return true;
        const owner = await identityOwner({ provider: account.provider, providerAccountId: account.providerAccountId });
        if (owner && owner !== linkTo) {
          jar.delete(LINK_COOKIE);
          log.warn("link refused: identity belongs to another user", { module: "auth", provider: account.provider, user_id: linkTo });
          return false;
        }
        return true;
      },
      async jwt({ token, account, user }) {
        if (account && user) {
          const jar = await cookies();
          const linkTo = readLinkCookie(jar.get(LINK_COOKIE)?.value);
          if (linkTo) jar.delete(LINK_COOKIE);
          const resolved = await resolveSignIn(
            {
              provider: account.provider,
              providerAccountId: account.providerAccountId,
              email: user.email ?? null,
              name: user.name ?? user.email ?? account.providerAccountId,
              image: user.image ?? null,
            },
            linkTo,
          );
          log.info("signed in", { module: "auth", provider: account.provider, user_id: resolved.id });
          token.uid = resolved.id;
          token.name = resolved.name;
        }
        return token;
      },
      session({ session, token }) {
        if (typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
  };
}

/** next-auth, configured once per process from the parsed environment. */
export function nextAuth() {
  return singleton("auth", () => NextAuth(buildConfig()));
}
