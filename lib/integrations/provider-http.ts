import { ApiError } from "@/lib/errors";

export type ProviderName = "GitHub" | "Vercel";

export interface ProviderResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

/** One HTTP call to a provider's REST API, bounded in time; network failures become 502 naming the provider. */
export async function providerFetch(provider: ProviderName, url: string, init: RequestInit & { timeoutMs?: number }): Promise<ProviderResponse> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 30_000), redirect: "follow" });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    throw new ApiError(timedOut ? "timeout" : "bad_gateway", timedOut ? `${provider} did not answer in time` : `Cannot reach ${provider}`);
  }
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get("content-type") ?? "").includes("json") && text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, body };
}

/** Reconnect error: the stored token no longer works. 409 because the request is fine but the connection is not. */
export function reconnectError(provider: ProviderName): ApiError {
  const slug = provider.toLowerCase();
  return new ApiError(
    "conflict",
    `${provider} rejected the stored token (revoked or expired). Reconnect ${provider}: POST /api/v1/integrations/${slug} with a new token.`,
    { reason: "reconnect_required", provider: slug },
  );
}

export function notConnectedError(provider: ProviderName): ApiError {
  const slug = provider.toLowerCase();
  return new ApiError("conflict", `${provider} is not connected. Connect it first: POST /api/v1/integrations/${slug} with a token.`, {
    reason: "not_connected",
    provider: slug,
  });
}
