import { z } from "zod";
import { env } from "@/lib/env";
import { defineRoute, type RouteContract } from "@/lib/api/contract";
import { uuid } from "../schemas";

const tag = "Files";
const projectParams = z.object({ project_id: uuid });
// Path strings are checked by lib/files/paths.ts (refusals are 403), not by length here.
const filePath = z.string();
const flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const entry = z.object({
  name: z.string(),
  path: z.string(),
  type: z.enum(["file", "directory", "symlink", "special"]).describe("special: a FIFO, socket or device node (listed, never read or written)"),
  size: z.number(),
  mtime: z.string(),
});
const fileInfo = z.object({ path: z.string(), size: z.number(), mtime: z.string(), version: z.string() });

export const treeRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/files",
  summary: "Recursive file tree, depth-first (skips node_modules, .git, .next, dist unless include_ignored)",
  tag,
  auth: "user",
  params: projectParams,
  query: z.object({ path: filePath.optional(), include_ignored: flag.optional() }),
  response: z.array(entry),
});

export const readFileRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/files/content",
  summary: "Read a file (text as UTF-8, binary as base64) with its version (also the ETag)",
  tag,
  auth: "user",
  params: projectParams,
  query: z.object({ path: filePath }),
  response: fileInfo.extend({ content: z.string(), encoding: z.enum(["utf8", "base64"]), binary: z.boolean() }),
});

export const writeFileRoute = defineRoute({
  method: "PUT",
  path: "/api/v1/projects/{project_id}/files/content",
  summary:
    "Create or overwrite a file (parents created). Send the version you read as `version` or If-Match: 409 with current_version if the file changed since; `version: null` or If-None-Match: * means create only",
  tag,
  auth: "user",
  params: projectParams,
  query: z.object({ path: filePath }),
  body: z.strictObject({
    content: z.string(),
    encoding: z.enum(["utf8", "base64"]).default("utf8"),
    version: z.string().max(128).nullable().optional(),
  }),
  // Room for a FILE_MAX_BYTES file in base64 plus JSON; the decoded size is checked again (413).
  get maxBodyBytes() {
    return Math.ceil(env().FILE_MAX_BYTES * 1.4) + 64 * 1024;
  },
  response: fileInfo.extend({ created: z.boolean() }),
});

export const deleteFileRoute = defineRoute({
  method: "DELETE",
  path: "/api/v1/projects/{project_id}/files/content",
  summary: "Delete a file or a folder (recursively); optional If-Match for files",
  tag,
  auth: "user",
  params: projectParams,
  query: z.object({ path: filePath }),
  response: z.object({ path: z.string(), type: z.enum(["file", "directory"]) }),
});

export const moveRoute = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/files/move",
  summary: "Rename or move a file or folder (409 when the destination exists, unless overwrite for files)",
  tag,
  auth: "user",
  params: projectParams,
  body: z.strictObject({ from: filePath, to: filePath, overwrite: z.boolean().default(false) }),
  response: z.object({ from: z.string(), to: z.string(), type: z.enum(["file", "directory"]) }),
});

export const mkdirRoute = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/files/mkdir",
  summary: "Create a folder (and its parents)",
  tag,
  auth: "user",
  params: projectParams,
  body: z.strictObject({ path: filePath }),
  response: z.object({ path: z.string(), created: z.boolean() }),
});

export const uploadRoute = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/files/upload",
  summary: "Upload files (multipart: one or more `files` parts whose file names may include sub-folders, optional `dir`)",
  tag,
  auth: "user",
  params: projectParams,
  bodyKind: "multipart",
  get maxBodyBytes() {
    return env().UPLOAD_MAX_BYTES;
  },
  response: z.array(fileInfo),
  successStatus: 201,
});

export const downloadRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/download",
  summary: "The project's files as a zip (without node_modules, .git, .next, dist)",
  tag,
  auth: "user",
  params: projectParams,
  produces: "application/zip",
});

export const importRoute = defineRoute({
  method: "POST",
  path: "/api/v1/projects/{project_id}/import",
  summary:
    "Import a zip into the project (multipart `file`, or a raw application/zip body); mode=merge (default) or replace. Entries escaping the project or symlinks refuse the whole import (403), nothing written",
  tag,
  auth: "user",
  params: projectParams,
  query: z.object({ mode: z.enum(["merge", "replace"]).default("merge") }),
  bodyKind: "multipart",
  get maxBodyBytes() {
    return env().UPLOAD_MAX_BYTES;
  },
  response: z.object({ imported_files: z.number(), mode: z.enum(["merge", "replace"]), checkpoint: z.string().nullable() }),
});

export const filesContracts: RouteContract[] = [
  treeRoute,
  readFileRoute,
  writeFileRoute,
  deleteFileRoute,
  moveRoute,
  mkdirRoute,
  uploadRoute,
  downloadRoute,
  importRoute,
];
