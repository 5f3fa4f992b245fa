import { restoreRoute } from "@/lib/api/contracts/projects";
import { restoreCheckpoint } from "@/lib/checkpoints/service";
import { route } from "@/lib/http/route";

// POST /api/v1/projects/{project_id}/restore - restore a checkpoint as a new checkpoint on top
export const POST = route(restoreRoute, async ({ params, body }) => {
  const result = await restoreCheckpoint(params.project_id, body.checkpoint);
  return { message: "Checkpoint restored", data: result };
});
