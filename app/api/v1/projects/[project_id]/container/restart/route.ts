import { restartContainer } from "@/lib/api/contracts/containers";
import { restartProject } from "@/lib/containers/service";
import { containerView } from "@/lib/preview/container-view";
import { route } from "@/lib/http/route";

// POST /api/v1/projects/{project_id}/container/restart - recreate the container and wait for readiness
export const POST = route(restartContainer, async ({ caller, params }) => {
  const state = await restartProject(params.project_id);
  return { message: `Container is ${state.state}`, data: containerView(params.project_id, caller.user.id, state) };
});
