import { pullGithub } from "@/lib/api/contracts/deployments";
import { route } from "@/lib/http/route";
import { pullProject } from "@/lib/integrations/github-sync";

// POST /api/v1/projects/{project_id}/github/pull - bring GitHub's new commits in as a checkpoint
export const POST = route(pullGithub, async ({ project }) => {
  const result = await pullProject(project);
  return { message: result.up_to_date ? "Already up to date with GitHub" : "Pulled from GitHub as a new checkpoint", data: result };
});
