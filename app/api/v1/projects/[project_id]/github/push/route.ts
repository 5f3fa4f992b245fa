import { pushGithub } from "@/lib/api/contracts/deployments";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { pushProject } from "@/lib/integrations/github-sync";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/github/push - push new checkpoints
  POST: route(pushGithub, async ({ project }) => {
    const result = await pushProject(project);
    return { message: result.up_to_date ? "GitHub is already up to date" : `Pushed to ${result.link.repo_full_name}`, data: result };
  }),
});
