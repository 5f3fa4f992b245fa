"use client";

import dynamic from "next/dynamic";
import { useEffect, useState } from "react";
import { errorMessage } from "@/lib/client/api-client";
import { filesApi } from "@/lib/client/files-api";
import { parseUnifiedDiff, type FileDiff } from "@/lib/shared/unified-diff";
import { ErrorBanner } from "../ui/error-banner";

const MonacoDiff = dynamic(() => import("./code-editor").then((m) => m.ConflictDiff), {
  ssr: false,
  loading: () => <p className="p-3 text-sm text-zinc-500">Loading editor…</p>,
});

/** Enough context lines that each file's diff holds the whole file, so Monaco shows both versions in full. */
const WHOLE_FILES = 1_000_000;

/** The files one checkpoint changed against `from`: a list to pick from and Monaco's side-by-side diff of the picked one. */
export function VersionDiff({ projectId, from, to }: { projectId: string; from: string; to: string }) {
  const [files, setFiles] = useState<FileDiff[] | null>(null);
  const [picked, setPicked] = useState(0);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    filesApi
      .diff(projectId, from, to, WHOLE_FILES)
      .then((t) => {
        setFiles(parseUnifiedDiff(t));
        setPicked(0);
      })
      .catch((e) => setError(errorMessage(e)));
  }, [projectId, from, to]);
  const file = files?.[picked];
  return (
    <div className="flex h-[60vh] min-h-0 gap-2" data-testid="version-diff">
      <ErrorBanner message={error} />
      {files === null && !error && <p className="p-3 text-sm text-zinc-500">Loading changes…</p>}
      {files?.length === 0 && <p className="p-3 text-sm text-zinc-500">No file changes.</p>}
      {files && files.length > 0 && (
        <>
          <ul className="w-56 shrink-0 overflow-auto text-xs" aria-label="Changed files">
            {files.map((f, i) => (
              <li key={`${f.path}-${i}`}>
                <button
                  type="button"
                  onClick={() => setPicked(i)}
                  aria-current={i === picked}
                  data-testid="version-diff-file"
                  className={`block w-full truncate rounded px-2 py-1 text-left font-mono ${i === picked ? "bg-indigo-100 dark:bg-indigo-950" : "hover:bg-zinc-100 dark:hover:bg-zinc-800"}`}
                  title={f.oldPath ? `${f.oldPath} → ${f.path}` : f.path}
                >
                  <span className="mr-1 text-zinc-500">{f.status === "added" ? "A" : f.status === "deleted" ? "D" : f.status === "renamed" ? "R" : "M"}</span>
                  {f.path}
                </button>
              </li>
            ))}
          </ul>
          <div className="min-w-0 flex-1 rounded border border-zinc-200 dark:border-zinc-800" data-testid="version-diff-editor">
            {file?.binary ? (
              <p className="p-3 text-sm text-zinc-500">A binary file: no text to compare.</p>
            ) : (
              file && <MonacoDiff key={`${from}-${to}-${picked}`} path={file.path} theirs={file.original} mine={file.modified} />
            )}
          </div>
        </>
      )}
    </div>
  );
}
