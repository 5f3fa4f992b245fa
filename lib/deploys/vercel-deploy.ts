import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ApiError } from "@/lib/errors";
import { vercelFor } from "@/lib/integrations/store";
import type { VercelClient, VercelDeployment, VercelFile, VercelProjectSettings } from "@/lib/integrations/vercel-client";
import { log } from "@/lib/log";
import { getTemplate, type TemplateManifest } from "@/lib/templates/catalog";
import { getDb } from "@/prisma-free-db/client";
import {
  getVercelDeployment,
  insertVercelDeployment,
  listVercelDeployments,
  updateVercelDeploymentState,
  type VercelDeploymentRow,
} from "@/prisma-free-db/queries/deployments";
import type { Project } from "@/prisma-free-db/queries/projects";
import { currentCheckpoint, exportCheckpoint } from "./checkpoint-export";

const logger = log.child({ module: "vercel-deploy" });
const FINAL = new Set(["READY", "ERROR", "CANCELED"]);
const POLL_INTERVAL_MS = 1000;
// How long the POST waits for a final state; after that it answers with the current state and a
// background poll keeps the row up to date (bounded too).
const WAIT_IN_REQUEST_MS = 60_000;
const WAIT_IN_BACKGROUND_MS = 15 * 60_000;
const MAX_FILES = 5000;

const frameworks: Record<string, string | null> = { "vite-react": "vite", nextjs: "nextjs" };

/** Vercel's projectSettings from the template manifest (what to install, build and serve). */
export function projectSettings(template: TemplateManifest | undefined): VercelProjectSettings {
  if (!template) return { framework: null, buildCommand: null, outputDirectory: null, installCommand: null };
  return {
    framework: frameworks[template.name] ?? null,
    buildCommand: template.buildCommand || null,
    outputDirectory: template.outputDir === "." || template.name === "nextjs" ? null : template.outputDir,
    installCommand: template.hasDependencies ? "npm install" : null,
  };
}

export type VercelDeploymentView = Omit<VercelDeploymentRow, "project_id" | "owner_id">;
const view = ({ project_id: _p, owner_id: _o, ...rest }: VercelDeploymentRow): VercelDeploymentView => ({ ...rest, url: rest.url });

const withScheme = (url: string) => (url.startsWith("http") ? url : `https://${url}`);

async function poll(client: VercelClient, rowId: string, vercelId: string, budgetMs: number): Promise<VercelDeployment | undefined> {
  const deadline = Date.now() + budgetMs;
  let last: VercelDeployment | undefined;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
    last = await client.getDeployment(vercelId);
    await updateVercelDeploymentState(await getDb(), {
      id: rowId,
      state: last.readyState,
      url: withScheme(last.url),
      error: last.readyState === "ERROR" ? (last.errorMessage ?? "The Vercel build failed") : null,
    });
    if (FINAL.has(last.readyState)) return last;
  }
  return last;
}

/**
 * Deploys the project's current checkpoint: hashes its files (SHA-1, as Vercel addresses them), asks
 * Vercel to create the deployment, uploads exactly the files Vercel reports missing and retries, then
 * polls until READY/ERROR (bounded).
 */
export async function deployToVercel(project: Project, input: { name?: string }): Promise<VercelDeploymentView> {
  const { id: projectId, owner_id: ownerId } = project;
  const client = await vercelFor(ownerId);
  const sha = await currentCheckpoint(projectId, "Vercel deploy");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-vercel-"));
  try {
    const paths = await exportCheckpoint(projectId, sha, dir);
    if (paths.length === 0) throw new ApiError("conflict", "The project has no files to deploy");
    if (paths.length > MAX_FILES)
      throw new ApiError("conflict", `The project has ${paths.length} files; Vercel deploys from Slipway are limited to ${MAX_FILES}`);
    const contents = new Map<string, Buffer>();
    const files: VercelFile[] = paths.map((file) => {
      const data = fs.readFileSync(path.join(dir, file));
      const digest = createHash("sha1").update(data).digest("hex");
      contents.set(digest, data);
      return { file, sha: digest, size: data.length };
    });
    const name = input.name ?? project.slug.toLowerCase().slice(0, 100);
    const request = {
      name,
      files,
      projectSettings: projectSettings(getTemplate(project.template)),
      meta: { slipwayProjectId: projectId, slipwayCheckpoint: sha },
    };
    let uploaded = 0;
    let created = await client.createDeployment(request);
    for (let round = 0; "missing" in created && round < 2; round++) {
      for (const digest of created.missing) {
        const data = contents.get(digest);
        if (!data) throw new ApiError("bad_gateway", `Vercel asked for a file this deployment does not contain (${digest})`);
        await client.uploadFile(digest, new Uint8Array(data));
        uploaded++;
      }
      created = await client.createDeployment(request);
    }
    if ("missing" in created) throw new ApiError("bad_gateway", "Vercel still reports missing files after uploading them");

    const id = randomUUID();
    const db = await getDb();
    await insertVercelDeployment(db, {
      id,
      projectId,
      ownerId,
      vercel_id: created.deployment.id,
      vercel_project: name,
      url: withScheme(created.deployment.url),
      state: created.deployment.readyState ?? "QUEUED",
      checkpoint_sha: sha,
      file_count: files.length,
      uploaded_count: uploaded,
    });
    logger.info("vercel deployment created", { project_id: projectId, vercel_id: created.deployment.id, files: files.length, uploaded });
    const final = await poll(client, id, created.deployment.id, WAIT_IN_REQUEST_MS);
    if (!final || !FINAL.has(final.readyState)) {
      void poll(client, id, created.deployment.id, WAIT_IN_BACKGROUND_MS).catch((error) =>
        logger.warn("vercel background poll failed", { project_id: projectId, error: error instanceof Error ? error.message : String(error) }),
      );
    }
    return view((await getVercelDeployment(db, { id }))!);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function listProjectVercelDeployments(project: Project): Promise<VercelDeploymentView[]> {
  return (await listVercelDeployments(await getDb(), { projectId: project.id, ownerId: project.owner_id })).map(view);
}
