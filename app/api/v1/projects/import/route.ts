import { importNewProjectRoute } from "@/lib/api/contracts/projects";
import { ApiError } from "@/lib/errors";
import { importZip, zipLimits } from "@/lib/files/import";
import { readZipUpload } from "@/lib/http/zip-upload";
import { readZipForImport } from "@/lib/files/zip";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { createCheckpoint } from "@/lib/checkpoints/service";
import { toApiProject } from "@/lib/projects/present";
import { createProject, deleteProject } from "@/lib/projects/service";

const text = (form: FormData | undefined, key: string) => {
  const v = form?.get(key);
  if (v !== null && v !== undefined && typeof v !== "string") throw new ApiError("bad_request", `Field ${key} must be text`);
  return v?.trim() || undefined;
};

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/import - create a project from a zip
  POST: route(importNewProjectRoute, async ({ caller, req }) => {
    const { zip, form } = await readZipUpload(req);
    const name = text(form, "name");
    if (name && name.length > 100) throw new ApiError("bad_request", "Validation failed", { fields: [{ path: "body.name", message: "Too long" }] });
    // Refuse a bad archive before a project exists at all.
    readZipForImport(zip, zipLimits());
    const project = await createProject({
      ownerId: caller.user.id,
      name,
      template: text(form, "template") ?? "static",
      description: text(form, "description"),
      empty: true,
    });
    try {
      const count = await importZip(project.id, zip, { mode: "merge" });
      await createCheckpoint(project.id, `Imported ${count} files from a zip`);
      return { message: "Project imported", data: { ...toApiProject(project), imported_files: count }, status: 201 };
    } catch (error) {
      await deleteProject(project);
      throw error;
    }
  }),
});
