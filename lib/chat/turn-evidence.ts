import { readyPreviewPort } from "@/lib/containers/service";
import { log } from "@/lib/log";
import type { Evidence, ServerFrame } from "@/lib/shared/chat-protocol";
import { rememberEvidence } from "./auto-fix-state";
import { collectEvidence } from "./evidence";

/**
 * A turn's evidence of done (evidence.ts), with a status frame while the preview is looked at. A failure to look
 * is logged and leaves the turn without evidence rather than failing it.
 */
export async function turnEvidence(input: {
  projectId: string;
  messageId: string;
  since: string;
  signal: AbortSignal;
  emit: (frame: Omit<ServerFrame, "seq" | "session_id" | "project_id">) => void;
}): Promise<Evidence | null> {
  // A turn stopped by the server's shutdown (or a cancel) does not look: the browser is going away.
  if (input.signal.aborted || !readyPreviewPort(input.projectId)) return null;
  input.emit({ type: "status", content: "Checking the preview", metadata: { state: "checking_preview" } });
  try {
    const evidence = await collectEvidence(input);
    if (evidence)
      rememberEvidence(
        input.projectId,
        evidence.errors.map((e) => e.fingerprint),
      );
    return evidence;
  } catch (error) {
    log.child({ module: "chat" }).warn("collecting the turn's evidence failed", { project_id: input.projectId, error });
    return null;
  }
}
