import { gitDir } from "@/lib/checkpoints/git";
import { git as gitCli, type GitResult } from "./git-cli";

/**
 * Git network operations on a project's checkpoint repository (its git dir lives outside the project,
 * see lib/checkpoints/git.ts). The same pins as the checkpoint code — no hooks (a pre-push hook would
 * run code), no fsmonitor, no system/global config — plus only http(s) transports.
 */
export function projectGit(projectId: string, args: string[], opts: { token?: string } = {}): Promise<GitResult> {
  return gitCli(
    "/",
    [
      `--git-dir=${gitDir(projectId)}`,
      "-c",
      "core.hooksPath=/dev/null",
      "-c",
      "core.fsmonitor=false",
      "-c",
      "safe.directory=*",
      "-c",
      "protocol.allow=never",
      "-c",
      "protocol.https.allow=always",
      "-c",
      "protocol.http.allow=always",
      "-c",
      "http.followRedirects=false",
      ...args,
    ],
    { token: opts.token, env: { GIT_CONFIG_GLOBAL: "/dev/null" } },
  );
}

export type RemoteFailure = "non_fast_forward" | "unauthorized" | "forbidden" | "not_found" | "other";

/** Classifies a failed push/fetch from git's stderr (git prints the HTTP status it got). */
export function classifyRemoteFailure(stderr: string): RemoteFailure {
  if (/\[rejected\]|non-fast-forward|fetch first|failed to push some refs/i.test(stderr) && !/returned error/i.test(stderr)) return "non_fast_forward";
  if (/returned error: 401|Authentication failed|could not read Username|could not read Password/i.test(stderr)) return "unauthorized";
  if (/returned error: 403|Permission .* denied/i.test(stderr)) return "forbidden";
  if (/returned error: 404|Repository not found|not found/i.test(stderr)) return "not_found";
  return "other";
}
