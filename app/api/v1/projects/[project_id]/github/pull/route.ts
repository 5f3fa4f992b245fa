import { pullGithub } from "@/lib/api/contracts/deployments";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { pullProject } from "@/lib/integrations/github-sync";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/github/pull - bring GitHub's new commits in as a checkpoint
  POST: route(pullGithub, async ({ project }) => {
    const result = await pullProject(project);
    return { message: result.up_to_date ? "Already up to date with GitHub" : "Pulled from GitHub as a new checkpoint", data: result };
  }),
});
