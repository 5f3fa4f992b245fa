import { getContainer } from "@/lib/api/contracts/containers";
import { getContainerState } from "@/lib/containers/service";
import { containerView } from "@/lib/preview/container-view";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/container - state, preview URL, preview sign-in URL
  GET: route(getContainer, async ({ caller, params }) => {
    const state = await getContainerState(params.project_id);
    return { message: `Container is ${state.state}`, data: containerView(params.project_id, caller.user.id, state) };
  }),
});
