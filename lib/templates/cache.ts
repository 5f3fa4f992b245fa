import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/errors";
import { log } from "@/lib/log";
import { templateFilesDir } from "./catalog";
import { singleton } from "@/lib/shared/singleton";

const run = promisify(execFile);
const logger = log.child({ module: "template-cache" });

/**
 * Per-template dependency cache: `<TEMPLATE_CACHE_DIR>/<template>/<hash of package.json>/node_modules`,
 * filled once by `npm install`; new projects get their node_modules as hard links (`cp -al`), which
 * takes well under a second even for Next.js, instead of a full install.
 *
 * Cold cache: the first create of a template waits for the one install (concurrent creates share it;
 * two processes racing both install and the second rename loses harmlessly). A changed package.json
 * gets a new hash, hence a fresh install; stale hash folders are left for the operator to prune.
 *
 * Hard links share inodes with the cache: an in-place edit of a file in a project's node_modules
 * would change the cache too. npm replaces files rather than editing them, and the files are
 * root-owned 0644; nothing should chown a project's node_modules recursively.
 */

const inFlight = () => singleton("templateInstalls", () => new Map<string, Promise<string>>());

// --ignore-scripts: no dependency code runs on the host; the pinned packages ship prebuilt binaries.
// --include=dev: Slipway itself runs with NODE_ENV=production, but a project's dev server needs its devDependencies (vite).
const INSTALL_ARGS = ["install", "--include=dev", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"];

function cacheKey(template: string): string {
  // The install flags are part of the key: a cache filled with other flags holds other packages.
  const hash = createHash("sha256").update(INSTALL_ARGS.join(" "));
  for (const file of ["package.json", "package-lock.json"]) {
    const p = path.join(templateFilesDir(template), file);
    if (fs.existsSync(p)) hash.update(file).update(fs.readFileSync(p));
  }
  return hash.digest("hex").slice(0, 16);
}

export function templateCacheDir(template: string): string {
  return path.join(env().TEMPLATE_CACHE_DIR, template, cacheKey(template));
}

export const isTemplateCacheWarm = (template: string) => fs.existsSync(path.join(templateCacheDir(template), ".complete"));

async function install(template: string, target: string): Promise<string> {
  const staging = path.join(path.dirname(target), `.staging-${randomBytes(6).toString("hex")}`);
  fs.mkdirSync(staging, { recursive: true });
  const started = performance.now();
  try {
    for (const file of ["package.json", "package-lock.json"]) {
      const p = path.join(templateFilesDir(template), file);
      if (fs.existsSync(p)) fs.copyFileSync(p, path.join(staging, file));
    }
    await run("npm", INSTALL_ARGS, {
      cwd: staging,
      env: { ...process.env, npm_config_update_notifier: "false" },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 10 * 60_000,
    });
    fs.writeFileSync(path.join(staging, ".complete"), new Date().toISOString());
    try {
      fs.renameSync(staging, target);
    } catch {
      fs.rmSync(staging, { recursive: true, force: true }); // another process won the race
    }
    logger.info("template dependencies installed", { template, duration_ms: Math.round(performance.now() - started) });
    return target;
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    logger.error("template dependency install failed", { template, error: (error as Error).message });
    throw new ApiError("unavailable", `Could not install the ${template} template's dependencies (is the npm registry reachable?); try again`);
  }
}

/** The template's cache folder, installing it first when cold. */
export function ensureTemplateCache(template: string): Promise<string> {
  const target = templateCacheDir(template);
  if (fs.existsSync(path.join(target, ".complete"))) return Promise.resolve(target);
  let pending = inFlight().get(target);
  if (!pending) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    pending = install(template, target).finally(() => inFlight().delete(target));
    inFlight().set(target, pending);
  }
  return pending;
}

/** Gives `projectDir` the template's node_modules (hard links; a copy across file systems) and lock file. */
export async function linkTemplateDependencies(template: string, projectDir: string): Promise<void> {
  const cache = await ensureTemplateCache(template);
  const lock = path.join(projectDir, "package-lock.json");
  if (!fs.existsSync(lock) && fs.existsSync(path.join(cache, "package-lock.json"))) fs.copyFileSync(path.join(cache, "package-lock.json"), lock);
  const source = path.join(cache, "node_modules");
  const dest = path.join(projectDir, "node_modules");
  try {
    await run("cp", ["-al", "--", source, dest]);
  } catch {
    fs.rmSync(dest, { recursive: true, force: true });
    await run("cp", ["-a", "--", source, dest]);
  }
}
