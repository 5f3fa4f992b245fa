/** Pure helpers that turn the files API's tree into the rows a virtualized list shows. */

/** An entry of GET …/files (a flat, depth-first list; symlinks show as files). */
export interface FileEntry {
  name: string;
  path: string;
  type: "file" | "directory" | "symlink" | "special";
}

export interface TreeNode {
  name: string;
  path: string;
  /** `special`: a FIFO, socket or device node: shown, never opened. */
  type: "file" | "directory" | "special";
  children: TreeNode[];
}

export interface TreeRow {
  node: TreeNode;
  depth: number;
}

const byDirsThenName = (a: TreeNode, b: TreeNode) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === "directory" ? -1 : 1);

/** Builds the tree from a flat list of entries (paths relative to the project root, any order). */
export function buildTree(entries: FileEntry[]): TreeNode {
  const root: TreeNode = { name: "", path: "", type: "directory", children: [] };
  const dirs = new Map<string, TreeNode>([["", root]]);
  const ensureDir = (path: string): TreeNode => {
    const found = dirs.get(path);
    if (found) return found;
    const slash = path.lastIndexOf("/");
    const parent = ensureDir(slash < 0 ? "" : path.slice(0, slash));
    const dir: TreeNode = { name: path.slice(slash + 1), path, type: "directory", children: [] };
    parent.children.push(dir);
    dirs.set(path, dir);
    return dir;
  };
  for (const e of entries) {
    const path = e.path.replace(/^\/+/, "");
    if (!path) continue;
    if (e.type === "directory") ensureDir(path);
    else {
      const slash = path.lastIndexOf("/");
      ensureDir(slash < 0 ? "" : path.slice(0, slash)).children.push({
        name: e.name || path.slice(slash + 1),
        path,
        type: e.type === "special" ? "special" : "file",
        children: [],
      });
    }
  }
  const sort = (n: TreeNode) => {
    n.children.sort(byDirsThenName);
    n.children.forEach(sort);
  };
  sort(root);
  return root;
}

/** The rows on screen: children of expanded directories, depth-first. */
export function visibleRows(root: TreeNode, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (n: TreeNode, depth: number) => {
    for (const c of n.children) {
      rows.push({ node: c, depth });
      if (c.type === "directory" && expanded.has(c.path)) walk(c, depth + 1);
    }
  };
  walk(root, 0);
  return rows;
}

export const parentOf = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");

export function languageOf(path: string): string {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  const map: Record<string, string> = {
    ts: "typescript",
    tsx: "typescript",
    js: "javascript",
    jsx: "javascript",
    mjs: "javascript",
    cjs: "javascript",
    json: "json",
    css: "css",
    scss: "scss",
    html: "html",
    md: "markdown",
    yml: "yaml",
    yaml: "yaml",
    py: "python",
    sh: "shell",
    svg: "xml",
    xml: "xml",
  };
  return map[ext] ?? "plaintext";
}
