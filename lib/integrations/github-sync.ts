import { createCheckpoint } from "@/lib/checkpoints/service";
import { git as checkpointGit } from "@/lib/checkpoints/git";
import { applyToProject, syncFromProject } from "@/lib/checkpoints/work-tree";
import { ApiError } from "@/lib/errors";
import { announceChange } from "@/lib/files/events";
import { withProjectLock } from "@/lib/files/project-lock";
import { log } from "@/lib/log";
import { getDb } from "@/prisma-free-db/client";
import { getGithubLink, recordGithubPull, recordGithubPush, upsertGithubLink, type GithubLink } from "@/prisma-free-db/queries/integrations";
import type { Project } from "@/prisma-free-db/queries/projects";
import type { GithubRepo } from "./github-client";
import { reconnectError } from "./provider-http";
import { classifyRemoteFailure, projectGit } from "./project-git";
import { githubFor } from "./store";

const logger = log.child({ module: "github-sync" });
// Where the last fetched remote branch is kept inside the checkpoint repository (never a branch the user sees).
const REMOTE_REF = "refs/slipway/github";

export interface LinkView {
  repo_full_name: string;
  html_url: string;
  branch: string;
  private: boolean;
  last_pushed_sha: string | null;
  last_pushed_at: string | null;
  last_pulled_sha: string | null;
  last_pulled_at: string | null;
  linked_at: string;
}

const view = (l: GithubLink): LinkView => ({
  repo_full_name: l.repo_full_name,
  html_url: l.html_url,
  branch: l.branch,
  private: l.private,
  last_pushed_sha: l.last_pushed_sha,
  last_pushed_at: l.last_pushed_at,
  last_pulled_sha: l.last_pulled_sha,
  last_pulled_at: l.last_pulled_at,
  linked_at: l.created_at,
});

function requireHttpUrl(cloneUrl: string): string {
  const url = new URL(cloneUrl);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ApiError("bad_gateway", "GitHub returned a clone URL that is not http(s)");
  if (url.username || url.password) throw new ApiError("bad_gateway", "GitHub returned a clone URL with credentials in it");
  return url.toString();
}

async function headSha(projectId: string): Promise<string | null> {
  const { stdout, code } = await checkpointGit(projectId, ["rev-parse", "--quiet", "--verify", "HEAD"], { okCodes: [1, 128] });
  return code === 0 ? stdout.trim() : null;
}

async function requireLink(ownerId: string, projectId: string): Promise<GithubLink> {
  const link = await getGithubLink(await getDb(), { projectId, ownerId });
  if (!link)
    throw new ApiError("conflict", "This project is not linked to a GitHub repository yet: POST /api/v1/projects/{project_id}/github first", {
      reason: "not_linked",
    });
  return link;
}

async function remoteError(
  stderr: string,
  link: Pick<GithubLink, "repo_full_name">,
  action: "push" | "pull",
  markRevoked: () => Promise<void>,
): Promise<ApiError> {
  const kind = classifyRemoteFailure(stderr);
  logger.warn(`git ${action} failed`, { repo: link.repo_full_name, kind, stderr: stderr.trim().slice(-500) });
  switch (kind) {
    case "non_fast_forward":
      return new ApiError(
        "conflict",
        `GitHub rejected the push: ${link.repo_full_name} has commits this project does not have. Pull first (POST /api/v1/projects/{project_id}/github/pull), then push again.`,
        { reason: "non_fast_forward" },
      );
    case "unauthorized":
      await markRevoked();
      return reconnectError("GitHub");
    case "forbidden":
      return new ApiError(
        "forbidden",
        `GitHub refused to let this token ${action} ${link.repo_full_name}: it needs write access to the repository ("repo" scope).`,
      );
    case "not_found":
      return new ApiError("not_found", `GitHub repository ${link.repo_full_name} not found, or this token cannot see it`);
    default:
      return new ApiError("bad_gateway", `git ${action} to GitHub failed: ${stderr.trim().split("\n").at(-1)?.slice(0, 300) ?? "unknown error"}`);
  }
}

/** Pushes the project's newest checkpoint (unsaved edits are checkpointed first) to the linked branch. */
async function pushLinked(ownerId: string, projectId: string, link: GithubLink) {
  const { token, markRevoked } = await githubFor(ownerId);
  await createCheckpoint(projectId, "Before push to GitHub: unsaved changes");
  const sha = await headSha(projectId);
  if (!sha) throw new ApiError("conflict", "The project has no checkpoint to push yet");
  if (link.last_pushed_sha === sha) return { link: view(link), pushed_sha: sha, up_to_date: true };
  const result = await projectGit(projectId, ["push", "--porcelain", "--", link.clone_url, `${sha}:refs/heads/${link.branch}`], { token });
  if (result.code !== 0) throw await remoteError(result.stderr + result.stdout, link, "push", markRevoked);
  const upToDate = /^=\s/m.test(result.stdout);
  const db = await getDb();
  await recordGithubPush(db, { projectId, sha });
  logger.info("pushed to github", { project_id: projectId, repo: link.repo_full_name, sha });
  return { link: view((await getGithubLink(db, { projectId, ownerId }))!), pushed_sha: sha, up_to_date: upToDate };
}

/** Creates a repository (or links an existing one the token can push to), then pushes the checkpoints. */
export async function linkAndPush(project: Project, input: { name?: string; private: boolean; existing?: string }) {
  const { id: projectId, owner_id: ownerId } = project;
  const { client } = await githubFor(ownerId);
  let repo: GithubRepo;
  if (input.existing) {
    repo = await client.getRepo(input.existing);
    if (repo.permissions && repo.permissions.push === false) {
      throw new ApiError("forbidden", `This GitHub account cannot push to ${repo.full_name}; ask for write access or choose another repository`);
    }
  } else {
    repo = await client.createRepo({ name: input.name!, isPrivate: input.private, description: project.description || `${project.name} (made with Slipway)` });
  }
  const db = await getDb();
  await upsertGithubLink(db, {
    projectId,
    ownerId,
    repoFullName: repo.full_name,
    htmlUrl: repo.html_url,
    cloneUrl: requireHttpUrl(repo.clone_url),
    branch: repo.default_branch || "main",
    private: Boolean(repo.private),
  });
  return pushLinked(ownerId, projectId, (await getGithubLink(db, { projectId, ownerId }))!);
}

export async function pushProject(project: Project) {
  const { id: projectId, owner_id: ownerId } = project;
  return pushLinked(ownerId, projectId, await requireLink(ownerId, projectId));
}

export async function linkStatus(project: Project) {
  const { id: projectId, owner_id: ownerId } = project;
  const link = await getGithubLink(await getDb(), { projectId, ownerId });
  if (!link) return null;
  const head = await headSha(projectId);
  return { ...view(link), ahead: head !== null && head !== link.last_pushed_sha };
}

const isAncestor = async (projectId: string, a: string, b: string) =>
  (await checkpointGit(projectId, ["merge-base", "--is-ancestor", a, b], { okCodes: [1] })).code === 0;

/**
 * Fetches the linked branch and brings its new commits in as ONE new checkpoint: a merge commit whose
 * parents are the project's last checkpoint and GitHub's head (so the next push is a fast-forward).
 * Diverged histories are merged with `git merge-tree`; conflicts change nothing and answer 409.
 */
export async function pullProject(project: Project) {
  const { id: projectId, owner_id: ownerId } = project;
  const link = await requireLink(ownerId, projectId);
  const { token, markRevoked } = await githubFor(ownerId);
  await createCheckpoint(projectId, "Before pull from GitHub: unsaved changes");
  return withProjectLock(projectId, async () => {
    const fetched = await projectGit(projectId, ["fetch", "--no-tags", "--quiet", "--", link.clone_url, `+refs/heads/${link.branch}:${REMOTE_REF}`], { token });
    const db = await getDb();
    const done = async (checkpoint: string | null, changed: string[]) => ({
      link: view((await getGithubLink(db, { projectId, ownerId }))!),
      checkpoint_sha: checkpoint,
      up_to_date: checkpoint === null,
      changed_files: changed,
    });
    if (fetched.code !== 0) {
      // An empty repository has no branch yet: nothing to pull.
      if (/couldn't find remote ref/i.test(fetched.stderr)) return done(null, []);
      throw await remoteError(fetched.stderr, link, "pull", markRevoked);
    }
    const remote = (await checkpointGit(projectId, ["rev-parse", "--verify", `${REMOTE_REF}^{commit}`])).stdout.trim();
    const head = await headSha(projectId);
    await syncFromProject(projectId);
    const status = await checkpointGit(projectId, ["status", "--porcelain", "--untracked-files=all"]);
    if (status.stdout.trim()) throw new ApiError("conflict", "Files changed while pulling; try again", { reason: "busy" });
    if (head && (await isAncestor(projectId, remote, head))) {
      await recordGithubPull(db, { projectId, sha: remote });
      return done(null, []);
    }
    let tree: string;
    if (!head || (await isAncestor(projectId, head, remote))) {
      tree = (await checkpointGit(projectId, ["rev-parse", `${remote}^{tree}`])).stdout.trim();
    } else {
      const merged = await checkpointGit(
        projectId,
        ["merge-tree", "--write-tree", "--allow-unrelated-histories", "--name-only", "--no-messages", head, remote],
        { okCodes: [1] },
      );
      const [treeLine = "", ...conflicted] = merged.stdout.split("\n").filter(Boolean);
      if (merged.code === 1) {
        throw new ApiError(
          "conflict",
          `GitHub's changes conflict with this project's in: ${conflicted.join(", ")}. Edit those files on GitHub or here so they agree, then pull again.`,
          { reason: "merge_conflict", files: conflicted },
        );
      }
      tree = treeLine.trim();
    }
    const parents = head ? ["-p", head, "-p", remote] : ["-p", remote];
    const message = `Pull from GitHub ${link.repo_full_name} (${remote.slice(0, 10)})`;
    const commit = (await checkpointGit(projectId, ["commit-tree", tree, ...parents, "-m", message])).stdout.trim();
    // Index and work tree from the old checkpoint to the new one, then move the branch.
    await checkpointGit(projectId, head ? ["read-tree", "-u", "-m", head, commit] : ["read-tree", "-u", "--reset", commit]);
    await checkpointGit(projectId, ["update-ref", "-m", message, "HEAD", commit]);
    const changed: string[] = [];
    if (head) {
      const diff = (await checkpointGit(projectId, ["diff", "--name-status", "-z", "--no-renames", head, commit])).stdout.split("\0").filter(Boolean);
      await applyToProject(
        projectId,
        diff.filter((_, i) => i % 2 === 1),
      );
      for (let i = 0; i + 1 < diff.length; i += 2) {
        const kind = diff[i]!;
        changed.push(diff[i + 1]!);
        announceChange(projectId, { path: diff[i + 1]!, change: kind === "D" ? "deleted" : kind === "A" ? "created" : "modified", source: "api" });
      }
    } else {
      await applyToProject(projectId, (await checkpointGit(projectId, ["ls-tree", "-r", "--name-only", "-z", commit])).stdout.split("\0").filter(Boolean));
    }
    await recordGithubPull(db, { projectId, sha: remote });
    logger.info("pulled from github", { project_id: projectId, repo: link.repo_full_name, remote, checkpoint: commit });
    return done(commit, changed);
  });
}
