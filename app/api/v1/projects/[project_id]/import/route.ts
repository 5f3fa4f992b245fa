import { importRoute } from "@/lib/api/contracts/files";
import { createCheckpoint } from "@/lib/checkpoints/service";
import { importZip } from "@/lib/files/import";
import { readZipUpload } from "@/lib/http/zip-upload";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/import - import a zip into the project
  POST: route(importRoute, async ({ params, query, req }) => {
    const { zip } = await readZipUpload(req);
    const count = await importZip(params.project_id, zip, { mode: query.mode, source: "api" });
    const checkpoint = await createCheckpoint(params.project_id, `Imported ${count} files from a zip (${query.mode})`);
    return { message: `Imported ${count} file(s)`, data: { imported_files: count, mode: query.mode, checkpoint } };
  }),
});
