import { moveRoute } from "@/lib/api/contracts/files";
import { moveProjectPath } from "@/lib/files/service";
import { route } from "@/lib/http/route";
import { requireOwnedProject } from "@/lib/projects/service";

// POST /api/v1/projects/{project_id}/files/move - rename or move
export const POST = route(moveRoute, async ({ caller, params, body }) => {
  await requireOwnedProject(caller.user.id, params.project_id);
  const moved = await moveProjectPath(params.project_id, body.from, body.to, { overwrite: body.overwrite, source: "api" });
  return { message: "Moved", data: moved };
});
