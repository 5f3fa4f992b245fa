import { mkdirRoute } from "@/lib/api/contracts/files";
import { makeProjectDir } from "@/lib/files/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/files/mkdir - create a folder
  POST: route(mkdirRoute, async ({ params, body }) => {
    const dir = await makeProjectDir(params.project_id, body.path, { source: "api" });
    return { message: dir.created ? "Folder created" : "Folder already exists", data: dir, status: dir.created ? 201 : 200 };
  }),
});
