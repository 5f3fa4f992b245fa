import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { removeDeploymentContainer } from "./server-container";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Where deployment artifacts live: DATABASE_DIR/deployments/<deployment id>/ (staging dirs beside them). */
export const deploymentsRoot = () => path.join(env().DATABASE_DIR, "deployments");

export function artifactDir(deploymentId: string): string {
  if (!uuidPattern.test(deploymentId)) throw new Error(`not a deployment id: ${deploymentId}`);
  return path.join(deploymentsRoot(), deploymentId);
}

export const stagingDir = (deploymentId: string) => path.join(deploymentsRoot(), `.staging-${artifactDir(deploymentId).slice(-36)}`);

/**
 * Copies the build output (`outputDir` inside `srcRoot`) into the deployment's artifact folder and
 * makes it read-only: regular files only (no symlinks that could lead out), and the output folder must
 * resolve inside the build tree. Returns the number of files.
 */
export function storeArtifact(srcRoot: string, outputDir: string, deploymentId: string): number {
  const root = fs.realpathSync(srcRoot);
  let out: string;
  try {
    out = fs.realpathSync(path.resolve(root, outputDir));
  } catch {
    throw new Error(`The build produced no "${outputDir}" folder`);
  }
  if (out !== root && !out.startsWith(root + path.sep)) throw new Error(`The output folder "${outputDir}" is outside the project`);
  const dest = artifactDir(deploymentId);
  const tmp = `${dest}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  let count = 0;
  const copy = (from: string, to: string) => {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name === ".git") continue;
      const src = path.join(from, entry.name);
      if (entry.isDirectory()) copy(src, path.join(to, entry.name));
      else if (entry.isFile()) {
        fs.copyFileSync(src, path.join(to, entry.name));
        fs.chmodSync(path.join(to, entry.name), 0o444);
        count++;
      }
    }
    fs.chmodSync(to, 0o555);
  };
  copy(out, tmp);
  fs.renameSync(tmp, dest);
  return count;
}

/**
 * Stores a whole built app (server-side templates: the start command runs in it) read-only, like
 * storeArtifact. `node_modules` is hard-linked where the files are not the container user's (the
 * template cache's root-owned files, which nothing edits in place, only replaces), otherwise copied:
 * a later change to the project can never reach the artifact. `emptyDirs` are stored empty (mount points; e.g. caches the build filled).
 */
export function storeAppArtifact(srcRoot: string, deploymentId: string, opts: { containerUid: number; emptyDirs?: string[] }): number {
  const root = fs.realpathSync(srcRoot);
  const dest = artifactDir(deploymentId);
  const tmp = `${dest}.tmp`;
  fs.rmSync(tmp, { recursive: true, force: true });
  let count = 0;
  const skip = new Set((opts.emptyDirs ?? []).map((d) => path.join(root, d)));
  const copy = (from: string, to: string, inModules: boolean) => {
    fs.mkdirSync(to, { recursive: true });
    for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
      if (entry.name === ".git" && !inModules) continue;
      const src = path.join(from, entry.name);
      if (skip.has(src)) continue;
      const target = path.join(to, entry.name);
      if (entry.isDirectory()) copy(src, target, inModules || entry.name === "node_modules");
      else if (entry.isFile()) {
        if (inModules && fs.statSync(src).uid !== opts.containerUid) fs.linkSync(src, target);
        else {
          fs.copyFileSync(src, target);
          fs.chmodSync(target, 0o444);
        }
        count++;
      } else if (entry.isSymbolicLink() && inModules) {
        // node_modules/.bin links; only ones that stay inside the tree are kept.
        const link = fs.readlinkSync(src);
        const resolved = path.resolve(path.dirname(src), link);
        if (!path.isAbsolute(link) && (resolved === root || resolved.startsWith(root + path.sep))) fs.symlinkSync(link, target);
      }
    }
  };
  copy(root, tmp, false);
  for (const dir of opts.emptyDirs ?? []) if (fs.existsSync(path.dirname(path.join(root, dir)))) fs.mkdirSync(path.join(tmp, dir), { recursive: true });
  const lock = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) if (entry.isDirectory()) lock(path.join(d, entry.name));
    fs.chmodSync(d, 0o555);
  };
  lock(tmp);
  fs.renameSync(tmp, dest);
  return count;
}

export function removeArtifact(deploymentId: string): void {
  void removeDeploymentContainer(deploymentId).catch((error: unknown) =>
    log.warn("could not remove a deployment's container", { module: "deploys", deployment_id: deploymentId, error: (error as Error).message }),
  );
  const dir = artifactDir(deploymentId);
  if (!fs.existsSync(dir)) return;
  // Read-only folders cannot be emptied: give write permission back first.
  const unlock = (d: string) => {
    fs.chmodSync(d, 0o755);
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) if (entry.isDirectory()) unlock(path.join(d, entry.name));
  };
  unlock(dir);
  fs.rmSync(dir, { recursive: true, force: true });
}
