import { api, send } from "./api-client";
import type { ContainerInfo, ExecResult } from "./api-types";

/** The project container routes (/api/v1/projects/{id}/container…), as the workbench uses them. */

const base = (projectId: string) => `/projects/${projectId}/container`;

export const containerApi = {
  get: (projectId: string) => api.get<ContainerInfo>(base(projectId)),
  start: (projectId: string) => api.post<ContainerInfo>(`${base(projectId)}/start`),
  stop: (projectId: string) => api.post<ContainerInfo>(`${base(projectId)}/stop`),
  restart: (projectId: string) => api.post<ContainerInfo>(`${base(projectId)}/restart`),
  logs: (projectId: string, tail = 200) => api.get<{ logs: string }>(`${base(projectId)}/logs`, { tail }).then((d) => d.logs),
  /** The live log stream (follow=1): a text/plain body open until the container stops. */
  follow: (projectId: string, signal: AbortSignal, tail = 200) =>
    send(`${base(projectId)}/logs`, { query: { tail, follow: 1 }, signal, headers: { accept: "text/plain" } }),
  exec: (projectId: string, command: string, timeout_ms = 60_000) => api.post<ExecResult>(`${base(projectId)}/exec`, { command, timeout_ms }),
};
