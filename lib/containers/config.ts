import { createHash } from "node:crypto";
import fs from "node:fs";
import { env } from "@/lib/env";
import { CONTAINER_ROOT } from "@/lib/files/anchored-fs";
import { projectFilesOwner } from "@/lib/files/project-owner";

/** Where a project's directory is mounted inside its container (the dev server's and exec's cwd). */
export const CONTAINER_WORKDIR = CONTAINER_ROOT;
/** Read-only folder with Slipway's own dev-server helpers (templates/<name>/runtime) inside containers. */
export const CONTAINER_RUNTIME_DIR = "/opt/slipway";
export const CONTAINER_CA_PATH = "/etc/slipway/extra-ca.pem";

export const LABEL_PROJECT = "slipway.project";
export const LABEL_OWNER = "slipway.owner";
export const LABEL_INSTANCE = "slipway.instance";
/** A keyed digest of the app's variables the container was created with (lib/app-env/digest.ts). */
export const LABEL_ENV_DIGEST = "slipway.env-digest";
/** `exec` marks a one-off command container (reconcile removes leftovers; idle stop ignores them). */
export const LABEL_ROLE = "slipway.role";

/**
 * Identifies this Slipway instance (its database directory), so that reconcile and cleanup only touch
 * containers this instance created even when several instances share one engine.
 */
export function instanceId(): string {
  return createHash("sha256").update(env().DATABASE_DIR).digest("hex").slice(0, 12);
}

export const containerName = (projectId: string) => `slipway-${instanceId()}-${projectId}`;

/** The uid:gid containers run as: the owner of the project's files (lib/files/project-owner.ts). */
export const containerUser = projectFilesOwner;

export function containerLimits() {
  const e = env();
  return {
    memoryBytes: e.CONTAINER_MEMORY_MB * 1024 * 1024,
    nanoCpus: Math.round(e.CONTAINER_CPUS * 1e9),
    pids: e.CONTAINER_PIDS,
  };
}

/** The CA bundle to mount, when NODE_EXTRA_CA_CERTS names a readable file. */
export function extraCaFile(): string | undefined {
  const file = env().NODE_EXTRA_CA_CERTS;
  return file && fs.existsSync(file) ? file : undefined;
}
