import { downloadRoute } from "@/lib/api/contracts/files";
import { zipProject } from "@/lib/files/zip";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/download - the project as a zip
  GET: route(downloadRoute, async ({ project }) => {
    const zip = await zipProject(project.id);
    return new Response(new Blob([zip as Uint8Array<ArrayBuffer>]), {
      headers: {
        "content-type": "application/zip",
        "content-disposition": `attachment; filename="${project.slug}.zip"`,
        "cache-control": "no-store",
      },
    });
  }),
});
