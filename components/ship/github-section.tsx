"use client";

import { useEffect, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { GithubLink, GithubPullResult, GithubPushResult, Integration } from "@/lib/client/api-types";
import { timeAgo } from "@/lib/shared/format";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { inputClass } from "../ui/field";
import { ConnectInSettings } from "./connect-in-settings";
import { shortSha } from "./ship-badges";

/** Push the project's checkpoints to GitHub (creating the repository the first time) and pull remote commits back. */
export function GithubSection({ projectId, defaultName, integration }: { projectId: string; defaultName: string; integration: Integration | undefined }) {
  const base = `/projects/${projectId}/github`;
  const [link, setLink] = useState<GithubLink | undefined>(undefined);
  const [name, setName] = useState(defaultName);
  const [isPrivate, setPrivate] = useState(true);
  const [busy, setBusy] = useState<"create" | "push" | "pull" | null>(null);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const connected = integration?.status === "connected";

  useEffect(() => {
    if (!connected) return;
    api.get<GithubLink>(base).then(setLink, (e: unknown) => setError(errorMessage(e)));
  }, [base, connected]);

  if (!connected) return <ConnectInSettings label="GitHub" integration={integration} />;

  const run = async (kind: "create" | "push" | "pull", fn: () => Promise<string>) => {
    setBusy(kind);
    setError(null);
    setResult(null);
    try {
      setResult(await fn());
      setLink(await api.get<GithubLink>(base));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };
  const pushed = (r: GithubPushResult) =>
    r.up_to_date
      ? `${r.link.repo_full_name} is already up to date (${shortSha(r.pushed_sha)}).`
      : `Pushed ${shortSha(r.pushed_sha)} to ${r.link.repo_full_name} (${r.link.branch}).`;

  return (
    <div className="flex flex-col gap-3 text-sm" data-testid="github-section">
      <p className="text-zinc-600 dark:text-zinc-400">Connected as {integration.account_login}.</p>
      {link === undefined ? (
        <p className="text-zinc-500">Loading…</p>
      ) : link === null ? (
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void run("create", async () => {
              const r = await api.post<GithubPushResult>(base, { name: name.trim(), private: isPrivate });
              return `Created ${r.link.repo_full_name} and pushed ${shortSha(r.pushed_sha)}.`;
            });
          }}
        >
          <label className="flex flex-col gap-1">
            <span className="font-medium">New repository name</span>
            <input className={inputClass} value={name} onChange={(e) => setName(e.target.value)} required data-testid="github-repo-name" />
          </label>
          <div className="flex items-center gap-3">
            <label className="flex items-center gap-1">
              <input type="checkbox" checked={isPrivate} onChange={(e) => setPrivate(e.target.checked)} />
              <span>Private repository</span>
            </label>
            <span className="flex-1" />
            <Button type="submit" variant="primary" disabled={busy !== null || !name.trim()} data-testid="github-create">
              {busy === "create" ? "Creating and pushing…" : "Create repository and push"}
            </Button>
          </div>
        </form>
      ) : (
        <div className="flex flex-col gap-2" data-testid="github-linked">
          <p>
            Linked to{" "}
            <a
              href={link.html_url}
              target="_blank"
              rel="noreferrer"
              className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
              data-testid="github-repo-link"
            >
              {link.repo_full_name}
            </a>{" "}
            ({link.branch}
            {link.private ? ", private" : ""})
          </p>
          <p className="text-xs text-zinc-500">
            Last push {shortSha(link.last_pushed_sha)} {timeAgo(link.last_pushed_at)} · last pull{" "}
            {link.last_pulled_sha ? `${shortSha(link.last_pulled_sha)} ${timeAgo(link.last_pulled_at)}` : "never"}
            {link.ahead ? " · this project has checkpoints GitHub does not" : ""}
          </p>
          <div className="flex gap-2">
            <Button
              variant="primary"
              disabled={busy !== null}
              onClick={() => void run("push", async () => pushed(await api.post<GithubPushResult>(`${base}/push`)))}
              data-testid="github-push"
            >
              {busy === "push" ? "Pushing…" : "Push"}
            </Button>
            <Button
              disabled={busy !== null}
              onClick={() =>
                void run("pull", async () => {
                  const r = await api.post<GithubPullResult>(`${base}/pull`);
                  if (r.up_to_date) return "Already up to date with GitHub.";
                  const files = r.changed_files.length;
                  return `Pulled ${files} changed file${files === 1 ? "" : "s"} into checkpoint ${shortSha(r.checkpoint_sha)}${files ? `: ${r.changed_files.slice(0, 5).join(", ")}${files > 5 ? ", …" : ""}` : ""}.`;
                })
              }
              data-testid="github-pull"
            >
              {busy === "pull" ? "Pulling…" : "Pull"}
            </Button>
          </div>
        </div>
      )}
      {result && (
        <p
          className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-emerald-800 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
          data-testid="github-result"
        >
          {result}
        </p>
      )}
      <ErrorBanner message={error} testId="github-error" />
    </div>
  );
}
