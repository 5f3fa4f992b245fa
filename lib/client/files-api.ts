import { api, request, send } from "./api-client";
import type { FileContent, FileEntry, FileWritten } from "./api-types";

/** The project files routes (/api/v1/projects/{id}/files…), as the workbench uses them. */

const base = (projectId: string) => `/projects/${projectId}`;

export const filesApi = {
  tree: (projectId: string) => api.get<FileEntry[]>(`${base(projectId)}/files`),
  read: (projectId: string, path: string) => api.get<FileContent>(`${base(projectId)}/files/content`, { path }),
  /**
   * `version`: the one the client read (409 if the file changed since); null: create only (409 if it
   * exists); undefined: overwrite whatever is there.
   */
  write: (projectId: string, path: string, content: string, version?: string | null) =>
    api.put<FileWritten>(`${base(projectId)}/files/content`, { content, ...(version !== undefined ? { version } : {}) }, { path }),
  remove: (projectId: string, path: string) => api.del(`${base(projectId)}/files/content`, { path }),
  move: (projectId: string, from: string, to: string) => api.post(`${base(projectId)}/files/move`, { from, to }),
  mkdir: (projectId: string, path: string) => api.post(`${base(projectId)}/files/mkdir`, { path }),
  upload: (projectId: string, dir: string, files: File[]) => {
    const form = new FormData();
    if (dir) form.set("dir", dir);
    for (const f of files) form.append("files", f, f.name);
    return request(`${base(projectId)}/files/upload`, { method: "POST", body: form });
  },
  diff: (projectId: string, from: string, to?: string, context?: number) =>
    send(`${base(projectId)}/diff`, { query: { from, to, context }, headers: { accept: "text/x-diff" } }).then((r) => r.text()),
};
