import path from "node:path";
import { env } from "@/lib/env";

/**
 * Where a turn's evidence screenshot is kept: DATABASE_DIR/evidence/<project id>/<message id>.jpg, outside the
 * project's files (neither the agent's tools nor the container, checkpoints or zips see it).
 */

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function evidenceScreenshotPath(projectId: string, messageId: string): string {
  if (!uuidPattern.test(projectId) || !uuidPattern.test(messageId)) throw new Error("not a project or message id");
  return path.join(env().DATABASE_DIR, "evidence", projectId.toLowerCase(), `${messageId.toLowerCase()}.jpg`);
}

export const evidenceScreenshotUrl = (projectId: string, messageId: string) => `/api/v1/projects/${projectId}/evidence/${messageId}/screenshot`;
