import { randomUUID } from "node:crypto";
import { open, seal } from "@/lib/crypto/secret-box";
import { ApiError } from "@/lib/errors";
import { getDb } from "@/prisma-free-db/client";
import {
  deleteIntegration,
  getIntegration,
  listIntegrations,
  markIntegrationRevoked,
  upsertIntegration,
  type Integration,
  type Provider,
} from "@/prisma-free-db/queries/integrations";
import { GithubClient } from "./github-client";
import { notConnectedError, reconnectError } from "./provider-http";
import { VercelClient } from "./vercel-client";

const PURPOSE = "integration-token";
const context = (userId: string, provider: Provider) => `${userId}:${provider}`;
const label = (provider: Provider) => (provider === "github" ? "GitHub" : "Vercel");

/** What the API shows about a connection: never the token. */
export interface IntegrationView {
  provider: Provider;
  account_login: string;
  team_id: string | null;
  status: "connected" | "reconnect_required";
  connected_at: string;
  updated_at: string;
}

export const toView = (i: Integration): IntegrationView => ({
  provider: i.provider,
  account_login: i.account_login,
  team_id: i.team_id,
  status: i.revoked_at ? "reconnect_required" : "connected",
  connected_at: i.created_at,
  updated_at: i.updated_at,
});

/** Verifies a token with the provider, then stores it sealed. A token the provider rejects is a 400 on `token`. */
export async function connectIntegration(
  userId: string,
  { provider, token, teamId }: { provider: Provider; token: string; teamId?: string },
): Promise<IntegrationView> {
  let account: { login: string; id: string };
  try {
    if (provider === "github") {
      const user = await new GithubClient(token).user();
      account = { login: user.login, id: String(user.id) };
    } else {
      const user = await new VercelClient(token, teamId ?? null).user();
      account = { login: user.username, id: user.id };
    }
  } catch (error) {
    if (error instanceof ApiError && error.details?.reason === "reconnect_required") {
      throw new ApiError("bad_request", `${label(provider)} rejected this token`, { fields: [{ path: "body.token", message: "rejected by the provider" }] });
    }
    throw error;
  }
  const db = await getDb();
  await upsertIntegration(db, {
    id: randomUUID(),
    userId,
    provider,
    accountLogin: account.login,
    accountId: account.id,
    teamId: teamId ?? null,
    tokenSealed: seal(token, { purpose: PURPOSE, context: context(userId, provider) }),
  });
  const row = await getIntegration(db, { userId, provider });
  if (!row) throw new Error("integration not stored");
  return toView(row);
}

export async function listIntegrationViews(userId: string): Promise<IntegrationView[]> {
  return (await listIntegrations(await getDb(), { userId })).map(toView);
}

export async function disconnectIntegration(userId: string, provider: Provider): Promise<IntegrationView> {
  const db = await getDb();
  const row = await getIntegration(db, { userId, provider });
  if (!row) throw new ApiError("not_found", `${label(provider)} is not connected`);
  await deleteIntegration(db, { userId, provider });
  return toView(row);
}

/** The decrypted token of a working connection, or the not-connected / reconnect error. */
async function usableToken(userId: string, provider: Provider): Promise<{ token: string; integration: Integration }> {
  const integration = await getIntegration(await getDb(), { userId, provider });
  if (!integration) throw notConnectedError(label(provider));
  if (integration.revoked_at) throw reconnectError(label(provider));
  return { token: open(integration.token_sealed, { purpose: PURPOSE, context: context(userId, provider) }), integration };
}

const revoker = (userId: string, provider: Provider) => async () => markIntegrationRevoked(await getDb(), { userId, provider });

export async function githubFor(userId: string): Promise<{ client: GithubClient; token: string; markRevoked: () => Promise<void> }> {
  const { token } = await usableToken(userId, "github");
  const markRevoked = revoker(userId, "github");
  return { client: new GithubClient(token, markRevoked), token, markRevoked };
}

export async function vercelFor(userId: string): Promise<VercelClient> {
  const { token, integration } = await usableToken(userId, "vercel");
  return new VercelClient(token, integration.team_id, revoker(userId, "vercel"));
}
