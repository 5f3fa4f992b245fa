import type { TreeNode } from "@/lib/shared/file-tree";
import { filesApi } from "@/lib/client/files-api";
import { askConfirm, askText } from "../ui/ask";
import { showToast, toastError } from "../ui/toast";
import type { TreeActions } from "./tree-actions";

/** What the tree's toolbar and context menu do, asking the user in the app's own dialogs. */

export async function newEntry(actions: TreeActions, dir: string, kind: "file" | "directory"): Promise<boolean> {
  const name = await askText({ title: kind === "file" ? "New file" : "New folder", label: `Name (in /${dir})`, confirmLabel: "Create" });
  if (!name?.trim()) return false;
  await actions.create((dir ? `${dir}/` : "") + name.trim().replace(/^\/+/, ""), kind);
  return true;
}

export async function renameEntry(actions: TreeActions, node: TreeNode) {
  const to = await askText({ title: `Rename ${node.name}`, label: "New path (a different folder moves it)", initial: node.path, confirmLabel: "Rename" });
  if (!to?.trim() || to.trim() === node.path) return;
  await actions.rename(node.path, to.trim().replace(/^\/+/, ""));
}

export async function deleteEntry(actions: TreeActions, node: TreeNode): Promise<boolean> {
  const dir = node.type === "directory";
  const ok = await askConfirm({
    title: `Delete ${node.path}?`,
    message: dir ? "The folder and everything in it are deleted." : "The file is deleted.",
    confirmLabel: "Delete",
    danger: true,
  });
  if (ok) await actions.remove(node.path, dir ? "directory" : "file");
  return ok;
}

export async function copyPath(path: string) {
  try {
    await navigator.clipboard.writeText(path);
    showToast({ kind: "info", message: `Copied ${path}` });
  } catch {
    showToast({ kind: "error", message: "The browser did not allow copying to the clipboard." });
  }
}

/** Saves one file of the project through the browser's download. */
export async function downloadFile(projectId: string, path: string) {
  try {
    const f = await filesApi.read(projectId, path);
    const bytes = f.encoding === "base64" ? Uint8Array.from(atob(f.content), (c) => c.charCodeAt(0)) : new TextEncoder().encode(f.content);
    const url = URL.createObjectURL(new Blob([bytes]));
    const a = document.createElement("a");
    a.href = url;
    a.download = path.slice(path.lastIndexOf("/") + 1);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    toastError(e, `Could not download ${path}`);
  }
}
