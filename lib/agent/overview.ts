import { readProjectBytes } from "@/lib/files/service";
import { projectDir } from "@/lib/files/project-dir";
import { log } from "@/lib/log";
import { listPreviewErrors } from "@/lib/preview/errors";
import { getTemplate } from "@/lib/templates/catalog";
import { subscribeProjectEvents } from "@/lib/realtime/project-events";
import { renderOverviewTree, walkOverviewTree } from "./overview-tree";
import { CHARS_PER_TOKEN } from "./tokens";
import { singleton } from "@/lib/shared/singleton";

/**
 * The project overview in the agent's system prompt: the template's notes, package.json's scripts and
 * dependencies, a trimmed file tree and the preview's current errors, within OVERVIEW_TOKENS (estimated). The
 * disk part (tree and package.json) is built off the turn's path and cached per project: a file change marks it
 * stale, and a stale or expired copy is still used while a fresh one is built in the background. Only a project
 * never seen waits for it, at most FIRST_BUILD_WAIT_MS (it is warmed when the IDE opens the project's chat).
 */
export const OVERVIEW_TOKENS = 1500;
const BUDGET_CHARS = OVERVIEW_TOKENS * CHARS_PER_TOKEN;
/** Each section's share of the budget, in characters; the tree gets what the others leave. */
const TEMPLATE_CHARS = 700;
const PACKAGE_CHARS = 1400;
const ERRORS_CHARS = 900;
const TREE_CHARS = BUDGET_CHARS - TEMPLATE_CHARS - PACKAGE_CHARS - ERRORS_CHARS - 200;
const PACKAGE_MAX_BYTES = 256 * 1024;
/** Container processes change files without an event when no tab watches the project: rebuilt after this. */
const MAX_AGE_MS = 60_000;
const FIRST_BUILD_WAIT_MS = 300;
const MAX_CACHED = 300;
export const WALK_LIMITS = { maxDepth: 6, maxDirs: 400, keep: 60 };

const overviewLog = log.child({ module: "agent-overview" });

interface DiskOverview {
  tree: string;
  packageJson: string | null;
}

interface Entry {
  value: DiskOverview | null;
  building: Promise<DiskOverview> | null;
  builtAt: number;
  stale: boolean;
  unsubscribe: () => void;
}

const cache = () => singleton("overviews", () => new Map<string, Entry>());

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `scripts` and dependency names with versions, as short lines; null when there is no readable package.json. */
export function describePackageJson(bytes: Uint8Array | null, maxChars = PACKAGE_CHARS): string | null {
  if (!bytes) return null;
  let pkg: unknown;
  try {
    pkg = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return "package.json: (not valid JSON)";
  }
  if (!pkg || typeof pkg !== "object") return null;
  const record = pkg as Record<string, unknown>;
  const lines: string[] = [];
  const listOf = (key: string, join: (k: string, v: string) => string) => {
    const value = record[key];
    if (!value || typeof value !== "object") return;
    const items = Object.entries(value as Record<string, unknown>).map(([k, v]) => join(k, typeof v === "string" ? v : JSON.stringify(v)));
    if (items.length) lines.push(`${key}: ${items.join(", ")}`);
  };
  listOf("scripts", (k, v) => `${k} = ${clip(v, 120)}`);
  listOf("dependencies", (k, v) => `${k}@${clip(v, 30)}`);
  listOf("devDependencies", (k, v) => `${k}@${clip(v, 30)}`);
  return clip(lines.length ? lines.join("\n") : "package.json: no scripts or dependencies", maxChars);
}

async function readPackageJson(projectId: string): Promise<Uint8Array | null> {
  try {
    return (await readProjectBytes(projectId, "package.json", { maxBytes: PACKAGE_MAX_BYTES })).bytes;
  } catch {
    return null; // missing, too large, a link out of the project or not a regular file: nothing to describe
  }
}

async function buildDisk(projectId: string): Promise<DiskOverview> {
  const [tree, pkg] = await Promise.all([walkOverviewTree(projectDir(projectId), WALK_LIMITS), readPackageJson(projectId)]);
  return { tree: renderOverviewTree(tree, TREE_CHARS), packageJson: describePackageJson(pkg) };
}

function entryFor(projectId: string): Entry {
  const all = cache();
  const entry = all.get(projectId);
  if (entry) {
    all.delete(projectId); // re-inserted last: the map's order is least recently used first
    all.set(projectId, entry);
    return entry;
  }
  const created: Entry = { value: null, building: null, builtAt: 0, stale: true, unsubscribe: () => undefined };
  created.unsubscribe = subscribeProjectEvents(projectId, (event) => {
    if (event.type === "file_changed" && (event.change !== "modified" || event.path === "package.json")) created.stale = true;
  });
  all.set(projectId, created);
  while (all.size > MAX_CACHED) {
    const [oldest, old] = all.entries().next().value as [string, Entry];
    old.unsubscribe();
    all.delete(oldest);
  }
  return created;
}

function refresh(projectId: string, entry: Entry): Promise<DiskOverview> {
  if (entry.building) return entry.building;
  entry.stale = false;
  const started = Date.now();
  const building = buildDisk(projectId)
    .then((value) => {
      entry.value = value;
      entry.builtAt = started;
      return value;
    })
    .finally(() => {
      entry.building = null;
    });
  entry.building = building;
  building.catch((error: unknown) => {
    entry.stale = true;
    overviewLog.warn("building the project overview failed", { project_id: projectId, error });
  });
  return building;
}

/** Starts building the project's overview if it has none (e.g. when its chat opens), without waiting. */
export function warmProjectOverview(projectId: string): void {
  const entry = entryFor(projectId);
  if (!entry.value && !entry.building) void refresh(projectId, entry).catch(() => undefined);
}

/** Marks the cached overview out of date (the next turn rebuilds it in the background). */
export function invalidateProjectOverview(projectId: string): void {
  const entry = cache().get(projectId);
  if (entry) entry.stale = true;
}

async function diskOverview(projectId: string): Promise<DiskOverview | null> {
  const entry = entryFor(projectId);
  const expired = Date.now() - entry.builtAt > MAX_AGE_MS;
  if (entry.value) {
    if (entry.stale || expired) void refresh(projectId, entry).catch(() => undefined);
    return entry.value;
  }
  const building = refresh(projectId, entry).catch(() => null);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), FIRST_BUILD_WAIT_MS)));
  try {
    return await Promise.race([building, late]);
  } finally {
    clearTimeout(timer);
  }
}

function templateSection(template: string): string | null {
  const notes = getTemplate(template)?.notes;
  return notes?.length ? clip(notes.map((n) => `- ${n}`).join("\n"), TEMPLATE_CHARS) : null;
}

function errorsSection(projectId: string): string | null {
  const errors = listPreviewErrors(projectId);
  if (errors.length === 0) return null;
  const lines: string[] = [];
  let used = 0;
  for (const e of errors) {
    const place = e.file ? ` (${e.file}${e.line ? `:${e.line}` : ""})` : "";
    const line = `- ${e.kind}: ${clip(e.message.replace(/\s+/g, " "), 200)}${place}${e.count > 1 ? ` ×${e.count}` : ""}`;
    if (used + line.length > ERRORS_CHARS - 40) {
      lines.push(`- … ${errors.length - lines.length} more`);
      break;
    }
    lines.push(line);
    used += line.length + 1;
  }
  return lines.join("\n");
}

/**
 * The overview text for `project` (never more than OVERVIEW_TOKENS, estimated). Answers from the cache at once
 * when there is one; the preview errors are read live.
 */
export async function projectOverview(project: { id: string; template: string }): Promise<string> {
  const disk = await diskOverview(project.id);
  const sections: string[] = [];
  const template = templateSection(project.template);
  if (template) sections.push(`Template notes:\n${template}`);
  if (disk?.packageJson) sections.push(`package.json:\n${disk.packageJson}`);
  sections.push(disk ? `Files (node_modules, .git and build output left out):\n${disk.tree || "(empty)"}` : "Files: not listed yet; use list_files.");
  const errors = errorsSection(project.id);
  if (errors) sections.push(`Errors the preview reports in the browser now:\n${errors}`);
  return clip(sections.join("\n\n"), BUDGET_CHARS);
}
