import { restoreRoute } from "@/lib/api/contracts/projects";
import { restoreCheckpoint } from "@/lib/checkpoints/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/restore - restore a checkpoint as a new checkpoint on top
  POST: route(restoreRoute, async ({ params, body }) => {
    const result = await restoreCheckpoint(params.project_id, body.checkpoint);
    return { message: "Checkpoint restored", data: result };
  }),
});
