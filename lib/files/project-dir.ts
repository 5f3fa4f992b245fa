import path from "node:path";
import { env } from "@/lib/env";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A project's directory: PROJECTS_DIR/<project id>. The id is a UUID, never user-chosen text. */
export function projectDir(projectId: string): string {
  if (!uuidPattern.test(projectId)) throw new Error(`not a project id: ${projectId}`);
  return path.join(env().PROJECTS_DIR, projectId.toLowerCase());
}

/** Folders the tree, the watcher and zip export skip unless asked: dependencies, git data, build output. */
export const IGNORED_DIRS = new Set(["node_modules", ".git", ".next", "dist"]);

/** Prefix of the temporary files atomic writes create next to their target. */
export const TEMP_PREFIX = ".slipway-tmp-";
