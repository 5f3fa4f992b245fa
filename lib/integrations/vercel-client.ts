import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { providerFetch, reconnectError, type ProviderResponse } from "./provider-http";

export interface VercelUser {
  id: string;
  username: string;
}

export type VercelReadyState = "QUEUED" | "INITIALIZING" | "BUILDING" | "READY" | "ERROR" | "CANCELED";

export interface VercelDeployment {
  id: string;
  url: string;
  readyState: VercelReadyState;
  errorMessage?: string;
}

export interface VercelFile {
  file: string;
  sha: string;
  size: number;
}

export interface VercelProjectSettings {
  framework: string | null;
  buildCommand: string | null;
  outputDirectory: string | null;
  installCommand: string | null;
}

/** Vercel's error body: `{ error: { code, message, ... } }`. */
function vercelError(body: unknown): { code: string; message: string; [key: string]: unknown } {
  if (body && typeof body === "object" && "error" in body && body.error && typeof body.error === "object") {
    const e = body.error as Record<string, unknown>;
    return { ...e, code: String(e.code ?? "unknown"), message: String(e.message ?? "no message") };
  }
  return { code: "unknown", message: typeof body === "string" && body ? body.slice(0, 200) : "no message" };
}

/** A minimal client for Vercel's deployment REST endpoints. `onRevoked` runs when Vercel rejects the token. */
export class VercelClient {
  constructor(
    private readonly token: string,
    private readonly teamId: string | null,
    private readonly onRevoked: () => Promise<void> = async () => undefined,
  ) {}

  private url(path: string): string {
    const url = new URL(path, env().VERCEL_API_URL);
    if (this.teamId) url.searchParams.set("teamId", this.teamId);
    return url.toString();
  }

  private async call(method: string, path: string, init: { json?: unknown; headers?: Record<string, string>; body?: Uint8Array<ArrayBuffer> } = {}) {
    const res = await providerFetch("Vercel", this.url(path), {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        "user-agent": "Slipway",
        ...(init.json === undefined ? {} : { "content-type": "application/json" }),
        ...init.headers,
      },
      body: init.json === undefined ? init.body : JSON.stringify(init.json),
      timeoutMs: 60_000,
    });
    const error = vercelError(res.body);
    // Vercel answers a bad or revoked token with 403 { error: { code: "forbidden", invalidToken: true } } (401 on some endpoints).
    if (res.status === 401 || (res.status === 403 && error.invalidToken === true)) {
      await this.onRevoked();
      throw reconnectError("Vercel");
    }
    if (res.status === 429) throw new ApiError("too_many_requests", `Vercel rate limit reached: ${error.message}`, { provider: "vercel" });
    return res;
  }

  async user(): Promise<VercelUser> {
    const res = await this.call("GET", "/v2/user");
    if (res.status !== 200) throw unexpected(res);
    const user = (res.body as { user: { id: string; uid?: string; username: string } }).user;
    return { id: String(user.id ?? user.uid), username: String(user.username) };
  }

  async uploadFile(sha: string, content: Uint8Array<ArrayBuffer>): Promise<void> {
    const res = await this.call("POST", "/v2/files", {
      headers: { "content-type": "application/octet-stream", "x-vercel-digest": sha, "content-length": String(content.byteLength) },
      body: content,
    });
    if (res.status !== 200) throw unexpected(res);
  }

  /**
   * Creates a deployment. Vercel answers 400 `missing_files` with the digests it does not have yet;
   * that is returned (not thrown) so the caller uploads exactly those and retries.
   */
  async createDeployment(input: {
    name: string;
    files: VercelFile[];
    projectSettings: VercelProjectSettings;
    meta: Record<string, string>;
  }): Promise<{ deployment: VercelDeployment } | { missing: string[] }> {
    const res = await this.call("POST", "/v13/deployments?skipAutoDetectionConfirmation=1", {
      json: { name: input.name, files: input.files, projectSettings: input.projectSettings, meta: input.meta, target: "production" },
    });
    const error = vercelError(res.body);
    if (res.status === 400 && error.code === "missing_files" && Array.isArray(error.missing)) return { missing: error.missing.map(String) };
    if (res.status === 200 || res.status === 201) return { deployment: res.body as VercelDeployment };
    if (res.status === 403) throw new ApiError("forbidden", `Vercel refused the deployment: ${error.message}`);
    if (res.status === 400) throw new ApiError("bad_request", `Vercel refused the deployment: ${error.message}`);
    throw unexpected(res);
  }

  async getDeployment(id: string): Promise<VercelDeployment> {
    const res = await this.call("GET", `/v13/deployments/${encodeURIComponent(id)}`);
    if (res.status !== 200) throw unexpected(res);
    return res.body as VercelDeployment;
  }
}

function unexpected(res: ProviderResponse): ApiError {
  return new ApiError("bad_gateway", `Vercel answered ${res.status}: ${vercelError(res.body).message}`);
}
