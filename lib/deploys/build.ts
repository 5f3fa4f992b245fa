import fs from "node:fs";
import path from "node:path";
import { containerUser } from "@/lib/containers/config";
import { docker } from "@/lib/containers/engine";
import { execInOneOffContainer } from "@/lib/containers/exec";
import { previewImage } from "@/lib/containers/image";
import { chownTree } from "@/lib/containers/ownership";
import { containerSpec } from "@/lib/containers/spec";
import { projectDir } from "@/lib/files/project-dir";
import { log } from "@/lib/log";
import type { TemplateManifest } from "@/lib/projects/templates";
import { getDb, type Queryable } from "@/prisma-free-db/client";
import { finishDeployment, markDeploymentBuilding, type DeploymentRow } from "@/prisma-free-db/queries/deployments";
import { stagingDir, storeArtifact } from "./artifacts";
import { exportCheckpoint } from "./checkpoint-export";

const logger = log.child({ module: "deploys" });
const BUILD_TIMEOUT_MS = 10 * 60_000;

/**
 * Builds one deployment: the checkpoint's files are exported to a staging folder, the template's build
 * command runs there in a fresh one-off container with the preview containers' hardening (the
 * project's installed node_modules mounted read-only), and the output is stored read-only. Static
 * templates have no build command: their files are the output.
 */
export async function buildDeployment(
  deployment: DeploymentRow,
  template: TemplateManifest,
  /** Runs in the transaction that marks the deployment ready (promotion), so both become visible at once. */
  onReady: (tx: Queryable) => Promise<void>,
): Promise<void> {
  const db = await getDb();
  const staging = stagingDir(deployment.id);
  const src = path.join(staging, "src");
  const lines: string[] = [];
  const say = (line: string) => lines.push(`[${new Date().toISOString()}] ${line}`);
  try {
    await markDeploymentBuilding(db, { id: deployment.id });
    fs.rmSync(staging, { recursive: true, force: true });
    const files = await exportCheckpoint(deployment.project_id, deployment.checkpoint_sha, src);
    say(`Checkpoint ${deployment.checkpoint_sha.slice(0, 10)}: ${files.length} files`);
    if (template.buildCommand) {
      const { uid, gid } = containerUser();
      await chownTree(staging, uid, gid);
      const spec = containerSpec({ projectId: deployment.project_id, ownerId: deployment.owner_id, projectDir: src, template, image: await previewImage() });
      const modules = path.join(projectDir(deployment.project_id), "node_modules");
      const binds = [...(spec.HostConfig?.Binds ?? [])];
      if (fs.existsSync(modules)) binds.push(`${modules}:/app/node_modules:ro`);
      say(`$ ${template.buildCommand}`);
      const result = await execInOneOffContainer(
        docker(),
        {
          ...spec,
          name: `slipway-deploy-${deployment.id}`,
          ExposedPorts: {},
          Env: [...(spec.Env ?? []).filter((e) => !e.startsWith("NODE_ENV=")), "NODE_ENV=production", "CI=1"],
          HostConfig: { ...spec.HostConfig, Binds: binds, PortBindings: {} },
        },
        { command: template.buildCommand, timeoutMs: BUILD_TIMEOUT_MS },
      );
      lines.push(result.output.trimEnd());
      if (result.timed_out) throw new Error(`The build did not finish within ${BUILD_TIMEOUT_MS / 60_000} minutes`);
      if (result.exit_code !== 0) throw new Error(`The build command exited with code ${result.exit_code}`);
    } else {
      say("No build command: the files are served as they are");
      if (template.outputDir === "." && !files.includes("index.html")) throw new Error("There is no index.html to serve");
    }
    const count = storeArtifact(src, template.outputDir, deployment.id);
    say(`Stored ${count} files`);
    await db.transaction(async (tx) => {
      await finishDeployment(tx, { id: deployment.id, state: "ready", log: lines.join("\n"), error: null });
      await onReady(tx);
    });
    logger.info("deployment ready", { deployment_id: deployment.id, project_id: deployment.project_id, files: count });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    say(`Failed: ${message}`);
    await finishDeployment(db, { id: deployment.id, state: "failed", log: lines.join("\n"), error: message });
    logger.warn("deployment failed", { deployment_id: deployment.id, project_id: deployment.project_id, error: message });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
