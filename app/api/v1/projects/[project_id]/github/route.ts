import { getGithubLink, linkGithub } from "@/lib/api/contracts/deployments";
import { route } from "@/lib/http/route";
import { linkAndPush, linkStatus } from "@/lib/integrations/github-sync";

// GET /api/v1/projects/{project_id}/github - the linked repository (null when none)
export const GET = route(getGithubLink, async ({ project }) => {
  const link = await linkStatus(project);
  return { message: link ? `Linked to ${link.repo_full_name}` : "Not linked to GitHub", data: link };
});

// POST /api/v1/projects/{project_id}/github - create or link a repository and push the checkpoints
export const POST = route(linkGithub, async ({ project, body }) => {
  const result = await linkAndPush(project, body);
  return { message: `Pushed to ${result.link.repo_full_name}`, data: result, status: 201 };
});
