import fs from "node:fs";
import path from "node:path";
import { containerUser } from "@/lib/containers/config";
import { previewImage } from "@/lib/containers/image";
import { chownTree } from "@/lib/containers/ownership";
import { projectNetwork } from "@/lib/containers/network";
import { containerSpec } from "@/lib/containers/spec";
import { appEnvEntries, snapshotDeploymentEnv } from "@/lib/app-env/service";
import { ApiError } from "@/lib/errors";
import { at, readNamed, visitTree, withDir } from "@/lib/files/anchored-fs";
import { projectDir } from "@/lib/files/project-dir";
import { log } from "@/lib/log";
import { linkTemplateDependencies } from "@/lib/templates/cache";
import type { TemplateManifest } from "@/lib/templates/catalog";
import { getDb, type Queryable } from "@/prisma-free-db/client";
import { finishDeployment, markDeploymentBuilding, type DeploymentRow } from "@/prisma-free-db/queries/deployments";
import { stagingDir, storeAppArtifact, storeArtifact } from "./artifacts";
import { BuildLog } from "./build-log";
import { exportCheckpoint } from "./checkpoint-export";
import { runBuildContainer } from "./run-build";
import { WRITABLE_APP_DIRS } from "./server-runtime";

const logger = log.child({ module: "deploys" });

/**
 * Hard-links the project's node_modules into `dest` through fd-anchored walks (lib/files/anchored-fs.ts):
 * the project's container can swap any folder there for a symlink, and `cp -al` by path would then link
 * host files into the build. Links are copied as links; special files are left out. False when the
 * project has no node_modules folder.
 */
async function linkProjectModules(projectRoot: string, dest: string): Promise<boolean> {
  try {
    return await withDir(projectRoot, "", async (rootFd) => {
      const stat = await fs.promises.lstat(at(rootFd, "node_modules")).catch(() => null);
      if (!stat?.isDirectory()) return false;
      return withDir(projectRoot, "node_modules", async (modulesFd) => {
        fs.mkdirSync(dest, { recursive: true });
        await visitTree(modulesFd, "", async (e) => {
          const target = path.join(dest, e.rel);
          if (e.kind === "directory") fs.mkdirSync(target);
          else if (e.kind === "symlink") fs.symlinkSync(await fs.promises.readlink(at(e.dirFd, e.name)), target);
          else if (e.kind === "file") {
            await fs.promises.link(at(e.dirFd, e.name), target).catch(async () => {
              // Another file system: copy through a link-refusing open instead.
              const file = await readNamed(e.dirFd, e.name, e.rel, Number.MAX_SAFE_INTEGER, () => new Error("too large")).catch(() => null);
              if (file) fs.writeFileSync(target, file.bytes, { mode: file.stat.mode & 0o777 });
            });
          }
        });
        return true;
      });
    });
  } catch (error) {
    if (error instanceof ApiError) return false; // the folder is gone or became a link: build without it
    throw error;
  }
}
const BUILD_TIMEOUT_MS = 10 * 60_000;

/**
 * Builds one deployment: the checkpoint's files are exported to a staging folder, the template's build
 * command runs there in a fresh one-off container with the preview containers' hardening (the
 * project's installed node_modules hard-linked in), and the result is stored read-only. Static
 * templates have no build command: their files are the output. Server-side templates (a start
 * command) store the whole built app, node_modules included, which their container later runs.
 * The log is appended to the stored row while the build runs.
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
  const buildLog = new BuildLog(db, deployment.id);
  const serverSide = Boolean(template.startCommand);
  const { uid, gid } = containerUser();
  try {
    await markDeploymentBuilding(db, { id: deployment.id });
    // The project's variables as they are now: the build and, later, the deployment's server get these.
    const appEnv = await appEnvEntries(deployment.project_id);
    await snapshotDeploymentEnv(deployment.id, appEnv);
    fs.rmSync(staging, { recursive: true, force: true });
    const files = await exportCheckpoint(deployment.project_id, deployment.checkpoint_sha, src);
    buildLog.say(`Checkpoint ${deployment.checkpoint_sha.slice(0, 10)}: ${files.length} files`);
    // Server-side apps run from the artifact, so they need the project's dependencies even without a build.
    if (template.buildCommand || serverSide) {
      // The project's installed dependencies, hard-linked (the build tools write caches inside node_modules;
      // linked files stay root-owned, so the build can replace but never modify the project's copies).
      if (await linkProjectModules(projectDir(deployment.project_id), path.join(src, "node_modules"))) {
        /* linked */
      } else if (template.hasDependencies) await linkTemplateDependencies(template.name, src);
    }
    if (template.buildCommand) {
      await chownTree(staging, uid, gid);
      const spec = containerSpec({
        projectId: deployment.project_id,
        ownerId: deployment.owner_id,
        projectDir: src,
        template,
        image: await previewImage(),
        network: await projectNetwork(),
        appEnv,
      });
      buildLog.say(`$ ${template.buildCommand}`);
      await buildLog.flush();
      const result = await runBuildContainer(
        {
          ...spec,
          name: `slipway-deploy-${deployment.id}`,
          ExposedPorts: {},
          Env: [...(spec.Env ?? []).filter((e) => !e.startsWith("NODE_ENV=")), "NODE_ENV=production", "CI=1", "NEXT_TELEMETRY_DISABLED=1"],
          HostConfig: { ...spec.HostConfig, PortBindings: {} },
        },
        template.buildCommand,
        BUILD_TIMEOUT_MS,
        (text) => buildLog.output(text),
      );
      if (result.timedOut) throw new Error(`The build did not finish within ${BUILD_TIMEOUT_MS / 60_000} minutes`);
      if (result.exitCode !== 0) throw new Error(`The build command exited with code ${result.exitCode}`);
    } else if (serverSide) {
      buildLog.say("No build command: the files are the app");
    } else {
      buildLog.say("No build command: the files are served as they are");
      if (template.outputDir === "." && !files.includes("index.html")) throw new Error("There is no index.html to serve");
    }
    const count = serverSide
      ? storeAppArtifact(src, deployment.id, { containerUid: uid, emptyDirs: WRITABLE_APP_DIRS })
      : storeArtifact(src, template.outputDir, deployment.id);
    buildLog.say(serverSide ? `Stored the app (${count} files); it starts with \`${template.startCommand}\` on the first request` : `Stored ${count} files`);
    const tail = await buildLog.finish();
    await db.transaction(async (tx) => {
      await finishDeployment(tx, { id: deployment.id, state: "ready", logTail: tail, error: null });
      await onReady(tx);
    });
    logger.info("deployment ready", { deployment_id: deployment.id, project_id: deployment.project_id, files: count });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    buildLog.say(`Failed: ${message}`);
    await finishDeployment(db, { id: deployment.id, state: "failed", logTail: await buildLog.finish(), error: message });
    logger.warn("deployment failed", { deployment_id: deployment.id, project_id: deployment.project_id, error: message });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
