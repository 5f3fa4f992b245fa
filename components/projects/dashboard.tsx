"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { ContainerState, Project } from "@/lib/client/api-types";
import { containerApi } from "@/lib/client/container-api";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorBanner } from "../ui/error-banner";
import { CreateProjectDialog } from "./create-project-dialog";
import { ProjectRow } from "./project-row";
import { PromptStart } from "./prompt-start";

/** The signed-in home page: what to build (a prompt), then the caller's projects, newest first. */
export function Dashboard() {
  const router = useRouter();
  const [projects, setProjects] = useState<Project[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [toDelete, setToDelete] = useState<Project | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [statuses, setStatuses] = useState<Record<string, ContainerState>>({});

  const load = useCallback(
    () =>
      api.get<Project[]>("/projects", { limit: 200 }).then(
        (ps) => {
          setProjects(ps);
          setError(null);
          // Container states come from each project's container route (the list itself has none).
          for (const p of ps.slice(0, 50))
            containerApi.get(p.id).then(
              (c) => setStatuses((s) => ({ ...s, [p.id]: c.state })),
              () => undefined,
            );
        },
        (e: unknown) => setError(errorMessage(e)),
      ),
    [],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const confirmDelete = async () => {
    if (!toDelete) return;
    setDeleting(true);
    try {
      await api.del(`/projects/${toDelete.id}`);
      setProjects((ps) => ps?.filter((p) => p.id !== toDelete.id) ?? null);
      setToDelete(null);
    } catch (e) {
      setError(errorMessage(e));
      setToDelete(null);
    } finally {
      setDeleting(false);
    }
  };

  return (
    <main className="mx-auto flex w-full max-w-4xl flex-col gap-6 p-6" data-testid="dashboard">
      <h1 className="sr-only">Slipway</h1>
      <PromptStart />
      <div className="mt-4 flex items-center justify-between">
        <h2 className="text-lg font-semibold">Your projects</h2>
        <Button onClick={() => setCreating(true)} data-testid="new-project">
          New project from a template
        </Button>
      </div>
      <ErrorBanner message={error}>
        <Button size="sm" onClick={() => void load()}>
          Retry
        </Button>
      </ErrorBanner>
      {projects === null && !error && <p className="text-sm text-zinc-500">Loading projects…</p>}
      {projects?.length === 0 && (
        <div data-testid="empty-state" className="rounded-lg border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700">
          <h3 className="text-lg font-medium">No projects yet</h3>
          <p className="mx-auto mt-2 max-w-md text-sm text-zinc-500">
            A project is a folder of code with its own live preview. Describe what you want above and the AI agent builds it while you watch the preview update
            — or start from a template.
          </p>
          <Button className="mt-4" onClick={() => setCreating(true)}>
            Start from a template
          </Button>
        </div>
      )}
      {projects && projects.length > 0 && (
        <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800" data-testid="project-list">
          {projects.map((p) => (
            <ProjectRow
              key={p.id}
              project={p}
              status={statuses[p.id]}
              onChanged={(n) => setProjects((ps) => ps?.map((x) => (x.id === n.id ? { ...x, ...n } : x)) ?? null)}
              onDelete={setToDelete}
              onError={setError}
            />
          ))}
        </ul>
      )}
      <CreateProjectDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(p) => {
          setCreating(false);
          router.push(`/projects/${p.id}`);
        }}
      />
      <Dialog open={toDelete !== null} onClose={() => setToDelete(null)} title="Delete project?" testId="delete-dialog">
        <p className="text-sm">
          <strong>{toDelete?.name}</strong> and its files, conversations and container will be removed. This cannot be undone.
        </p>
        <div className="flex justify-end gap-2">
          <Button onClick={() => setToDelete(null)} autoFocus>
            Cancel
          </Button>
          <Button variant="danger" onClick={() => void confirmDelete()} disabled={deleting} data-testid="confirm-delete">
            {deleting ? "Deleting…" : "Delete"}
          </Button>
        </div>
      </Dialog>
    </main>
  );
}
