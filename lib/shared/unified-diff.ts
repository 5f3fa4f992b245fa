/** One file of a unified diff, rebuilt as its two sides (whole files when the diff was asked with full context). */
export interface FileDiff {
  path: string;
  /** The file's name on the old side when it was renamed. */
  oldPath: string | null;
  status: "added" | "deleted" | "modified" | "renamed";
  binary: boolean;
  original: string;
  modified: string;
}

const unquote = (p: string) => (p.startsWith('"') && p.endsWith('"') ? p.slice(1, -1).replace(/\\(.)/g, "$1") : p);
const side = (line: string, prefix: string) => {
  const p = unquote(line.slice(4).trim());
  return p === "/dev/null" ? null : p.startsWith(prefix) ? p.slice(prefix.length) : p;
};

/** Splits `git diff` output into files; hunk lines go to the side(s) they belong to. */
export function parseUnifiedDiff(text: string): FileDiff[] {
  const files: FileDiff[] = [];
  let cur: (FileDiff & { old: string[]; neu: string[]; inHunk: boolean }) | null = null;
  const finish = () => {
    if (!cur) return;
    files.push({ path: cur.path, oldPath: cur.oldPath, status: cur.status, binary: cur.binary, original: cur.old.join("\n"), modified: cur.neu.join("\n") });
  };
  for (const line of text.split("\n")) {
    if (line.startsWith("diff --git ")) {
      finish();
      const m = /^diff --git a\/(.*) b\/(.*)$/.exec(line);
      const name = m ? unquote(m[2]!) : line.slice(11);
      cur = { path: name, oldPath: null, status: "modified", binary: false, original: "", modified: "", old: [], neu: [], inHunk: false };
      continue;
    }
    if (!cur) continue;
    if (!cur.inHunk) {
      if (line.startsWith("new file mode")) cur.status = "added";
      else if (line.startsWith("deleted file mode")) cur.status = "deleted";
      else if (line.startsWith("rename from ")) {
        cur.status = "renamed";
        cur.oldPath = line.slice(12);
      } else if (line.startsWith("rename to ")) cur.path = line.slice(10);
      else if (line.startsWith("Binary files ")) cur.binary = true;
      else if (line.startsWith("--- ")) {
        const p = side(line, "a/");
        if (p && cur.status === "deleted") cur.path = p;
      } else if (line.startsWith("+++ ")) {
        const p = side(line, "b/");
        if (p) cur.path = p;
      } else if (line.startsWith("@@")) cur.inHunk = true;
      continue;
    }
    if (line.startsWith("@@")) continue;
    if (line.startsWith("\\")) continue; // "\ No newline at end of file"
    if (line.startsWith("+")) cur.neu.push(line.slice(1));
    else if (line.startsWith("-")) cur.old.push(line.slice(1));
    else if (line.startsWith(" ")) {
      cur.old.push(line.slice(1));
      cur.neu.push(line.slice(1));
    }
  }
  finish();
  return files;
}
