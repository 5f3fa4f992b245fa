import { env } from "@/lib/env";

/**
 * Where Google and GitHub send the user back after sign-in. By default the API guideline's path,
 * `/api/v1/auth/{provider}/callback` (what OAuth apps made for it are registered with); `OAUTH_CALLBACK_PATH=next-auth`
 * keeps next-auth's own `/api/v1/auth/callback/{provider}`. Both paths are served; the setting decides which one the
 * provider is told (`redirect_uri`), and the code exchange must name the same one.
 *
 * next-auth always builds `redirect_uri` from its own path, so with the guideline's path it is rewritten in the two
 * places it leaves Slipway: the authorization URL the login route redirects to, and the token request (through
 * next-auth's documented `customFetch` hook).
 */
const nextAuthCallback = /\/api\/v1\/auth\/callback\/(google|github)$/;

export function usesGuidelineCallback(): boolean {
  return env().OAUTH_CALLBACK_PATH === "provider-first";
}

/** next-auth's callback URL turned into the configured one (unchanged when next-auth's own is configured). */
export function configuredCallback(redirectUri: string): string {
  if (!usesGuidelineCallback()) return redirectUri;
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return redirectUri;
  }
  const provider = nextAuthCallback.exec(url.pathname)?.[1];
  if (!provider) return redirectUri;
  url.pathname = `/api/v1/auth/${provider}/callback`;
  return url.toString();
}

/** The authorization URL with the configured `redirect_uri`. */
export function withConfiguredRedirect(authorizationUrl: string): string {
  const url = new URL(authorizationUrl);
  const redirectUri = url.searchParams.get("redirect_uri");
  if (redirectUri) url.searchParams.set("redirect_uri", configuredCallback(redirectUri));
  return url.toString();
}

/** next-auth's requests to the provider, with the token request's `redirect_uri` made the configured one. */
export const providerFetch: typeof fetch = (input, init) => {
  if (init?.body instanceof URLSearchParams) {
    const redirectUri = init.body.get("redirect_uri");
    if (redirectUri) init.body.set("redirect_uri", configuredCallback(redirectUri));
  }
  return fetch(input, init);
};
