import { createCheckpointRoute } from "@/lib/api/contracts/projects";
import { createCheckpoint, getCheckpoint } from "@/lib/checkpoints/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/checkpoints - record the current files
  POST: route(createCheckpointRoute, async ({ params, body }) => {
    const sha = await createCheckpoint(params.project_id, body.message);
    if (!sha) return { message: "Nothing changed since the last checkpoint", data: null, status: 200 };
    return { message: "Checkpoint created", data: await getCheckpoint(params.project_id, sha), status: 201 };
  }),
});
