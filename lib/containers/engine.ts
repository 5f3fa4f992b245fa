import Docker from "dockerode";
import { env } from "@/lib/env";
import { singleton } from "@/lib/shared/singleton";

/** The Docker client for DOCKER_HOST (unix:///path, tcp://host:port) or the default socket. */
export function docker(): Docker {
  return singleton("docker", () => {
    const host = env().DOCKER_HOST;
    if (!host) return new Docker();
    if (host.startsWith("unix://")) return new Docker({ socketPath: host.slice("unix://".length) });
    const url = new URL(host.replace(/^tcp:/, "http:"));
    return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: "http" });
  });
}

export interface EngineStatus {
  ok: boolean;
  version?: string;
  api_version?: string;
  error?: string;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}

/** Whether the engine answers, and its version; never throws. */
export async function engineStatus(timeoutMs = 1500): Promise<EngineStatus> {
  try {
    const v = await withTimeout(docker().version(), timeoutMs);
    return { ok: true, version: v.Version, api_version: v.ApiVersion };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: /ENOENT|ECONNREFUSED/.test(message) ? "Docker engine not reachable (is dockerd running? set DOCKER_HOST)" : message };
  }
}

/** Whether an error from dockerode means the engine itself is unreachable (not a per-container problem). */
export function isEngineDown(error: unknown): boolean {
  const e = error as { code?: string; message?: string; errno?: string };
  return (
    ["ENOENT", "ECONNREFUSED", "ECONNRESET", "EACCES", "EHOSTUNREACH", "ETIMEDOUT"].includes(e?.code ?? "") ||
    /connect (ENOENT|ECONNREFUSED)/.test(e?.message ?? "")
  );
}
