import { startContainer } from "@/lib/api/contracts/containers";
import { ensureRunning } from "@/lib/containers/service";
import { containerView } from "@/lib/preview/container-view";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/container/start - start the dev server and wait for readiness
  POST: route(startContainer, async ({ caller, params }) => {
    const state = await ensureRunning(params.project_id);
    return { message: `Container is ${state.state}`, data: containerView(params.project_id, caller.user.id, state) };
  }),
});
