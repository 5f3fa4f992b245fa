import { moveRoute } from "@/lib/api/contracts/files";
import { moveProjectPath } from "@/lib/files/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/files/move - rename or move
  POST: route(moveRoute, async ({ params, body }) => {
    const moved = await moveProjectPath(params.project_id, body.from, body.to, { overwrite: body.overwrite, source: "api" });
    return { message: "Moved", data: moved };
  }),
});
