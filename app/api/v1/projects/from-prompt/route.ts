import { createProjectFromPromptRoute, createProjectRoute } from "@/lib/api/contracts/projects";
import { ApiError } from "@/lib/errors";
import { readFormLimited } from "@/lib/http/multipart";
import { methods } from "@/lib/http/methods";
import { route, validateBody } from "@/lib/http/route";
import { createdProject } from "@/lib/projects/present";
import { startProject } from "@/lib/projects/start-project";
import { MAX_ATTACHMENTS_PER_MESSAGE } from "@/lib/shared/chat-protocol";

const TEXT_FIELDS = ["prompt", "template", "name", "model", "description", "start_container"] as const;

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/from-prompt - POST /api/v1/projects with a prompt and images, as multipart
  POST: route(createProjectFromPromptRoute, async ({ caller, req }) => {
    const form = await readFormLimited(req, createProjectFromPromptRoute.maxBodyBytes!);
    const fields: Record<string, unknown> = {};
    for (const key of TEXT_FIELDS) {
      const value = form.get(key);
      if (value === null) continue;
      if (typeof value !== "string")
        throw new ApiError("bad_request", `Field ${key} must be text`, { fields: [{ path: `body.${key}`, message: "must be text" }] });
      fields[key] = key === "start_container" ? value !== "false" : value;
    }
    if (fields.prompt === undefined) throw new ApiError("bad_request", "A prompt is required", { fields: [{ path: "body.prompt", message: "Required" }] });
    const body = await validateBody(createProjectRoute.body!, fields);
    const images = form.getAll("images");
    if (images.length > MAX_ATTACHMENTS_PER_MESSAGE) {
      throw new ApiError("bad_request", `At most ${MAX_ATTACHMENTS_PER_MESSAGE} images`, {
        fields: [{ path: "body.images", message: `at most ${MAX_ATTACHMENTS_PER_MESSAGE}` }],
      });
    }
    const files = await Promise.all(
      images.map(async (file) => {
        if (typeof file === "string")
          throw new ApiError("bad_request", "images must be files", { fields: [{ path: "body.images", message: "must be files" }] });
        return { bytes: new Uint8Array(await file.arrayBuffer()), declaredType: file.type, fileName: file.name };
      }),
    );
    return createdProject(await startProject({ ownerId: caller.user.id, ...body, images: files }));
  }),
});
