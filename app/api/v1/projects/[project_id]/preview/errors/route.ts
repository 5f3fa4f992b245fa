import { clearPreviewErrors, listPreviewErrors } from "@/lib/api/contracts/containers";
import { requireOwnedProject } from "@/lib/containers/view";
import { route } from "@/lib/http/route";
import * as previewErrors from "@/lib/preview/errors";

// GET /api/v1/projects/{project_id}/preview/errors - the preview's reported browser errors
export const GET = route(listPreviewErrors, async ({ caller, params }) => {
  await requireOwnedProject(params.project_id, caller.user.id);
  const errors = previewErrors.listPreviewErrors(params.project_id);
  return { message: `${errors.length} preview error(s)`, data: { errors } };
});

// DELETE /api/v1/projects/{project_id}/preview/errors - forget them
export const DELETE = route(clearPreviewErrors, async ({ caller, params }) => {
  await requireOwnedProject(params.project_id, caller.user.id);
  previewErrors.clearPreviewErrors(params.project_id);
  return { message: "Preview errors cleared", data: { errors: [] } };
});
