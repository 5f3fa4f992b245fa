import { createCheckpoint, latestCheckpoint } from "@/lib/checkpoints/service";
import { log } from "@/lib/log";

const checkpointLog = log.child({ module: "chat" });

function subject(request: string): string {
  const line = request.trim().split("\n")[0]!.trim();
  return line.length > 72 ? `${line.slice(0, 71)}…` : line;
}

/**
 * The checkpoint the turn starts from: edits made since the last checkpoint are saved first, so undoing the
 * turn never loses the user's own changes. Null when the project has no history and nothing to save.
 */
export async function checkpointBeforeTurn(projectId: string, request: string): Promise<string | null> {
  try {
    const saved = await createCheckpoint(projectId, `Before agent: ${subject(request)}`);
    if (saved) return saved;
    return latestCheckpoint(projectId);
  } catch (error) {
    checkpointLog.warn("checkpoint before turn failed", { project_id: projectId, error: (error as Error).message });
    return null;
  }
}

/** After a turn that changed files: a checkpoint named after the request (null when nothing differs). */
export async function checkpointAfterTurn(projectId: string, request: string): Promise<string | null> {
  try {
    return await createCheckpoint(projectId, `Agent: ${subject(request)}`);
  } catch (error) {
    checkpointLog.warn("checkpoint after turn failed", { project_id: projectId, error: (error as Error).message });
    return null;
  }
}
