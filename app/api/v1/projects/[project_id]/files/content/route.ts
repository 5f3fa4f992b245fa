import { deleteFileRoute, readFileRoute, writeFileRoute } from "@/lib/api/contracts/files";
import { ApiError } from "@/lib/errors";
import { deleteProjectPath, readProjectFile, writeProjectFile } from "@/lib/files/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

/** `If-Match: "v"` → "v"; absent → undefined. A list or `*` is not a single version: 400. */
function ifMatch(req: Request): string | undefined {
  const raw = req.headers.get("if-match");
  if (raw === null) return undefined;
  const m = /^\s*(?:W\/)?"([^"]{1,128})"\s*$/.exec(raw) ?? /^\s*([0-9a-f]{1,128})\s*$/.exec(raw);
  if (!m) throw new ApiError("bad_request", 'If-Match must be one version, e.g. If-Match: "<version>"');
  return m[1];
}

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/files/content?path= - read a file
  GET: route(readFileRoute, async ({ params, query }) => {
    const file = await readProjectFile(params.project_id, query.path);
    return { message: "File", data: file, headers: { etag: `"${file.version}"` } };
  }),

  // PUT /api/v1/projects/{project_id}/files/content?path= - create or overwrite a file
  PUT: route(writeFileRoute, async ({ params, query, body, req }) => {
    const header = ifMatch(req);
    const createOnly = req.headers.get("if-none-match")?.trim() === "*";
    if (header !== undefined && body.version !== undefined && body.version !== header) {
      throw new ApiError("bad_request", "If-Match and body.version disagree");
    }
    const expectedVersion = createOnly ? null : (header ?? body.version);
    if (body.encoding === "base64" && !/^[A-Za-z0-9+/]*={0,2}$/.test(body.content)) {
      throw new ApiError("bad_request", "Validation failed", { fields: [{ path: "body.content", message: "is not valid base64" }] });
    }
    const content = body.encoding === "base64" ? Buffer.from(body.content, "base64") : body.content;
    const file = await writeProjectFile(params.project_id, query.path, content, { expectedVersion, source: "api" });
    return { message: file.created ? "File created" : "File saved", data: file, status: file.created ? 201 : 200, headers: { etag: `"${file.version}"` } };
  }),

  // DELETE /api/v1/projects/{project_id}/files/content?path= - delete a file or folder
  DELETE: route(deleteFileRoute, async ({ params, query, req }) => {
    const deleted = await deleteProjectPath(params.project_id, query.path, { expectedVersion: ifMatch(req), source: "api" });
    return { message: deleted.type === "directory" ? "Folder deleted" : "File deleted", data: deleted };
  }),
});
