import fs from "node:fs";
import { log } from "@/lib/log";
import { at, lstatNoFollowSync, openDirNoFollowSync } from "./anchored-fs";
import { announceChange, changedRecentlyByService } from "./events";
import { IGNORED_DIRS, TEMP_PREFIX, projectDir } from "./project-dir";
import { singleton } from "@/lib/shared/singleton";

const logger = log.child({ module: "file-watcher" });
const DEBOUNCE_MS = 150;
const MAX_WATCHED_DIRS = 4000;

interface ProjectWatch {
  refs: number;
  root: string;
  dirs: Map<string, fs.FSWatcher>;
  pending: Map<string, NodeJS.Timeout>;
  known: Set<string>;
}

// One watch per project per process, shared by every subscriber (ref-counted).
const watches = () => singleton("watches", () => new Map<string, ProjectWatch>());

const ignoredRel = (rel: string) => rel.split("/").some((s) => IGNORED_DIRS.has(s) || s.startsWith(TEMP_PREFIX));

/**
 * Watches a project's directory for changes made outside the files service (processes in the
 * container) and announces them as `file_changed` with source "container". Each directory is
 * watched on its own (not `recursive: true`, which would also walk node_modules); ignored folders
 * are skipped. Returns the stop function; the watch ends when the last subscriber stops.
 */
export function watchProject(projectId: string): () => void {
  const all = watches();
  let watch = all.get(projectId);
  if (!watch) {
    watch = { refs: 0, root: projectDir(projectId), dirs: new Map(), pending: new Map(), known: new Set() };
    all.set(projectId, watch);
    addDir(projectId, watch, "");
  }
  watch.refs++;
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    const w = all.get(projectId);
    if (!w || --w.refs > 0) return;
    for (const watcher of w.dirs.values()) watcher.close();
    for (const timer of w.pending.values()) clearTimeout(timer);
    all.delete(projectId);
  };
}

function addDir(projectId: string, watch: ProjectWatch, rel: string, announceChildren = false) {
  if (watch.dirs.has(rel) || watch.dirs.size >= MAX_WATCHED_DIRS) return;
  // Opened without following any link, so a folder swapped for a link to a host folder is never watched.
  const fd = openDirNoFollowSync(watch.root, rel);
  if (fd === null) return;
  let dirents: fs.Dirent[];
  try {
    const watcher = fs.watch(at(fd), { persistent: false }, (_event, name) => {
      if (name) schedule(projectId, watch, rel ? `${rel}/${name}` : String(name));
    });
    watcher.on("error", () => {
      watcher.close();
      watch.dirs.delete(rel);
    });
    watch.dirs.set(rel, watcher);
    dirents = fs.readdirSync(at(fd), { withFileTypes: true });
  } catch (error) {
    logger.debug("cannot watch directory", { project_id: projectId, path: rel, error });
    return;
  } finally {
    fs.closeSync(fd);
  }
  for (const d of dirents) {
    const childRel = rel ? `${rel}/${d.name}` : d.name;
    if (ignoredRel(childRel)) continue;
    // Files created in a new folder before its watch existed are reported here.
    if (announceChildren && !watch.known.has(childRel) && !changedRecentlyByService(projectId, childRel)) {
      announceChange(projectId, { path: childRel, change: "created", source: "container" });
    }
    watch.known.add(childRel);
    if (d.isDirectory()) addDir(projectId, watch, childRel, announceChildren);
  }
}

function schedule(projectId: string, watch: ProjectWatch, rel: string) {
  if (ignoredRel(rel)) return;
  clearTimeout(watch.pending.get(rel));
  watch.pending.set(
    rel,
    setTimeout(() => {
      watch.pending.delete(rel);
      if (!watches().has(projectId)) return;
      const stat = lstatNoFollowSync(watch.root, rel);
      const wasKnown = watch.known.has(rel);
      if (stat) watch.known.add(rel);
      else {
        watch.known.delete(rel);
        const watcher = watch.dirs.get(rel);
        if (watcher) {
          watcher.close();
          watch.dirs.delete(rel);
        }
      }
      if (!changedRecentlyByService(projectId, rel) && (stat || wasKnown)) {
        announceChange(projectId, { path: rel, change: !stat ? "deleted" : wasKnown ? "modified" : "created", source: "container" });
      }
      if (stat?.isDirectory()) addDir(projectId, watch, rel, true);
    }, DEBOUNCE_MS),
  );
}
