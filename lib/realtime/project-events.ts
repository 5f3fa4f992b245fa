import { EventEmitter } from "node:events";

/**
 * Server-side events about a project (file changes, preview state, …) that WebSocket clients receive.
 * One bus per process: route bundles and server.ts load separate module copies, and both
 * must publish to and subscribe from the same emitter.
 */
import type { PreviewError } from "@/lib/shared/preview-errors";
import { singleton } from "@/lib/shared/singleton";

export type ProjectEvent =
  | { type: "file_changed"; path: string; change: "created" | "modified" | "deleted" | "renamed"; from?: string; source: "api" | "agent" | "container" }
  | { type: "preview_ready"; url: string; port?: number }
  | { type: "container_state"; state: "stopped" | "starting" | "ready" | "crashed"; error?: string }
  | { type: "turn_undone"; message_ids: string[]; undone_at: string; checkpoint: string }
  /** `error` is the one reported (new or seen again); null when the list was cleared. */
  | { type: "preview_error"; count: number; error: PreviewError | null };

function bus(): EventEmitter {
  return singleton("projectEvents", () => new EventEmitter().setMaxListeners(0));
}

export function publishProjectEvent(projectId: string, event: ProjectEvent) {
  bus().emit(projectId, event);
}

/** Returns the unsubscribe function. */
export function subscribeProjectEvents(projectId: string, listener: (event: ProjectEvent) => void): () => void {
  bus().on(projectId, listener);
  return () => bus().off(projectId, listener);
}
