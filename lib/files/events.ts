import { publishProjectEvent } from "@/lib/realtime/project-events";
import { singleton } from "@/lib/shared/singleton";

export type ChangeSource = "api" | "agent" | "container";
export type ChangeKind = "created" | "modified" | "deleted" | "renamed";

// Paths the service itself just changed, so the watcher does not report them a second time as "container".
const SUPPRESS_MS = 1500;

const recent = () => singleton("recentWrites", () => new Map<string, number>());

/** The one place file changes are announced (`file_changed` on the project's event bus). */
export function announceChange(projectId: string, change: { path: string; change: ChangeKind; from?: string; source: ChangeSource }) {
  if (change.source !== "container") {
    const now = Date.now();
    recent().set(`${projectId}:${change.path}`, now);
    if (change.from) recent().set(`${projectId}:${change.from}`, now);
    if (recent().size > 10_000) for (const [k, t] of recent()) if (now - t > SUPPRESS_MS) recent().delete(k);
  }
  publishProjectEvent(projectId, { type: "file_changed", ...change });
}

/** True when the service changed this path moments ago (the watcher's event is an echo of it). */
export function changedRecentlyByService(projectId: string, rel: string): boolean {
  const t = recent().get(`${projectId}:${rel}`);
  return t !== undefined && Date.now() - t < SUPPRESS_MS;
}
