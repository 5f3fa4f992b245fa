import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { providerFetch, reconnectError, type ProviderResponse } from "./provider-http";

export interface GithubUser {
  login: string;
  id: number;
}

export interface GithubRepo {
  full_name: string;
  html_url: string;
  clone_url: string;
  default_branch: string;
  private: boolean;
  permissions?: { push?: boolean; admin?: boolean; pull?: boolean };
}

/** GitHub's error body: `{ message, documentation_url, errors? }`. */
function githubMessage(body: unknown): string {
  if (body && typeof body === "object" && "message" in body && typeof body.message === "string") {
    const errors = "errors" in body && Array.isArray(body.errors) ? body.errors : [];
    const detail = errors
      .map((e: unknown) => (e && typeof e === "object" && "message" in e && typeof e.message === "string" ? e.message : undefined))
      .filter(Boolean);
    return detail.length ? `${body.message}: ${detail.join("; ")}` : body.message;
  }
  return typeof body === "string" && body ? body.slice(0, 200) : "no message";
}

export function isRateLimited(res: Pick<ProviderResponse, "status" | "headers">): boolean {
  return res.status === 429 || (res.status === 403 && res.headers.get("x-ratelimit-remaining") === "0");
}

/** A minimal client for the GitHub REST endpoints Slipway uses. `onRevoked` runs when GitHub answers 401. */
export class GithubClient {
  constructor(
    private readonly token: string,
    private readonly onRevoked: () => Promise<void> = async () => undefined,
  ) {}

  private async call(method: string, path: string, body?: unknown): Promise<ProviderResponse> {
    const res = await providerFetch("GitHub", `${env().GITHUB_API_URL.replace(/\/$/, "")}${path}`, {
      method,
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${this.token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "Slipway",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 401) {
      await this.onRevoked();
      throw reconnectError("GitHub");
    }
    if (isRateLimited(res)) {
      const reset = Number(res.headers.get("x-ratelimit-reset"));
      const when = Number.isFinite(reset) && reset > 0 ? ` after ${new Date(reset * 1000).toISOString()}` : " later";
      throw new ApiError("too_many_requests", `GitHub rate limit reached; try again${when}`, { provider: "github" });
    }
    return res;
  }

  /** The token's user. */
  async user(): Promise<GithubUser> {
    const res = await this.call("GET", "/user");
    if (res.status !== 200) throw unexpected(res);
    const user = res.body as GithubUser;
    return { login: String(user.login), id: Number(user.id) };
  }

  async createRepo({ name, isPrivate, description }: { name: string; isPrivate: boolean; description: string }): Promise<GithubRepo> {
    const res = await this.call("POST", "/user/repos", { name, private: isPrivate, description, auto_init: false });
    if (res.status === 201) return res.body as GithubRepo;
    if (res.status === 422 && /already exists/i.test(githubMessage(res.body))) {
      throw new ApiError("conflict", `A repository named "${name}" already exists on your GitHub account. Pick another name or link it with "existing".`, {
        reason: "repo_name_taken",
      });
    }
    if (res.status === 422) throw new ApiError("bad_request", `GitHub refused the repository: ${githubMessage(res.body)}`);
    if (res.status === 403 || res.status === 404) {
      throw new ApiError(
        "forbidden",
        `GitHub does not allow this token to create repositories (${githubMessage(res.body)}). Use a token with the "repo" scope.`,
      );
    }
    throw unexpected(res);
  }

  async getRepo(fullName: string): Promise<GithubRepo> {
    const res = await this.call("GET", `/repos/${fullName.split("/").map(encodeURIComponent).join("/")}`);
    if (res.status === 200) return res.body as GithubRepo;
    if (res.status === 404) throw new ApiError("not_found", `GitHub repository ${fullName} not found, or this token cannot see it`);
    if (res.status === 403) throw new ApiError("forbidden", `GitHub denied access to ${fullName}: ${githubMessage(res.body)}`);
    throw unexpected(res);
  }
}

function unexpected(res: ProviderResponse): ApiError {
  return new ApiError("bad_gateway", `GitHub answered ${res.status}: ${githubMessage(res.body)}`);
}
