import { getGithubLink, linkGithub } from "@/lib/api/contracts/deployments";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { linkAndPush, linkStatus } from "@/lib/integrations/github-sync";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/github - the linked repository (null when none)
  GET: route(getGithubLink, async ({ project }) => {
    const link = await linkStatus(project);
    return { message: link ? `Linked to ${link.repo_full_name}` : "Not linked to GitHub", data: link };
  }),

  // POST /api/v1/projects/{project_id}/github - create or link a repository and push the checkpoints
  POST: route(linkGithub, async ({ project, body }) => {
    const result = await linkAndPush(project, body);
    return { message: `Pushed to ${result.link.repo_full_name}`, data: result, status: 201 };
  }),
});
