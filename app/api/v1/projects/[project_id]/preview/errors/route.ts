import { clearPreviewErrors, listPreviewErrors } from "@/lib/api/contracts/containers";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import * as previewErrors from "@/lib/preview/errors";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/preview/errors - the preview's reported browser errors
  GET: route(listPreviewErrors, async ({ params }) => {
    const errors = previewErrors.listPreviewErrors(params.project_id);
    return { message: `${errors.length} preview error(s)`, data: { errors } };
  }),

  // DELETE /api/v1/projects/{project_id}/preview/errors - forget them
  DELETE: route(clearPreviewErrors, async ({ params }) => {
    previewErrors.clearPreviewErrors(params.project_id);
    return { message: "Preview errors cleared", data: { errors: [] } };
  }),
});
