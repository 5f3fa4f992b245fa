import fs from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/env";

/**
 * Where a turn's evidence screenshot is kept: DATABASE_DIR/evidence/<project id>/<message id>.jpg, outside the
 * project's files (neither the agent's tools nor the container, checkpoints or zips see it).
 */

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function evidenceDir(projectId: string): string {
  if (!uuidPattern.test(projectId)) throw new Error(`not a project id: ${projectId}`);
  return path.join(env().DATABASE_DIR, "evidence", projectId.toLowerCase());
}

export function evidenceScreenshotPath(projectId: string, messageId: string): string {
  if (!uuidPattern.test(messageId)) throw new Error(`not a message id: ${messageId}`);
  return path.join(evidenceDir(projectId), `${messageId.toLowerCase()}.jpg`);
}

/** Removes a deleted project's screenshots. */
export async function removeEvidence(projectId: string): Promise<void> {
  await fs.rm(evidenceDir(projectId), { recursive: true, force: true });
}

export const evidenceScreenshotUrl = (projectId: string, messageId: string) => `/api/v1/projects/${projectId}/evidence/${messageId}/screenshot`;
