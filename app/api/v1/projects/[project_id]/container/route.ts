import { getContainer } from "@/lib/api/contracts/containers";
import { getContainerState } from "@/lib/containers/service";
import { containerView } from "@/lib/preview/container-view";
import { route } from "@/lib/http/route";

// GET /api/v1/projects/{project_id}/container - state, preview URL, preview sign-in URL
export const GET = route(getContainer, async ({ caller, params }) => {
  const state = await getContainerState(params.project_id);
  return { message: `Container is ${state.state}`, data: containerView(params.project_id, caller.user.id, state) };
});
