/** What the file tree asks the workbench to do (components/ide/use-tree-actions.ts implements it). */
export interface TreeActions {
  open: (path: string) => void;
  create: (path: string, kind: "file" | "directory") => Promise<void>;
  rename: (from: string, to: string) => Promise<void>;
  remove: (path: string, kind: "file" | "directory") => Promise<void>;
  upload: (dir: string, files: File[]) => Promise<void>;
  download: (path: string) => Promise<void>;
}
