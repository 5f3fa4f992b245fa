"use client";

import Link from "next/link";
import { useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { ContainerState, Project } from "@/lib/client/api-types";
import { timeAgo } from "@/lib/shared/format";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";
import { StatusBadge } from "../ui/status-badge";

/** One project in the dashboard list: open, rename inline, delete (asks first). */
export function ProjectRow({
  project,
  status,
  onChanged,
  onDelete,
  onError,
}: {
  project: Project;
  status: ContainerState | undefined;
  onChanged: (p: Project) => void;
  onDelete: (p: Project) => void;
  onError: (m: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(project.name);

  const rename = async (e: React.FormEvent) => {
    e.preventDefault();
    const next = name.trim();
    if (!next || next === project.name) return setEditing(false);
    try {
      onChanged(await api.patch<Project>(`/projects/${project.id}`, { name: next }));
      setEditing(false);
    } catch (err) {
      onError(errorMessage(err));
    }
  };

  return (
    <li data-testid="project-row" data-project-id={project.id} className="flex items-center gap-4 px-4 py-3 hover:bg-zinc-50 dark:hover:bg-zinc-900/60">
      <div className="min-w-0 flex-1">
        {editing ? (
          <form onSubmit={rename} className="flex gap-2">
            <input
              aria-label="Project name"
              className={inputClass}
              value={name}
              autoFocus
              onChange={(e) => setName(e.target.value)}
              onKeyDown={(e) => e.key === "Escape" && (setName(project.name), setEditing(false))}
              data-testid="rename-input"
            />
            <Button type="submit" size="sm" variant="primary">
              Save
            </Button>
          </form>
        ) : (
          <Link href={`/projects/${project.id}`} className="font-medium hover:underline" data-testid="project-link">
            {project.name}
          </Link>
        )}
        <p className="mt-0.5 truncate text-xs text-zinc-500">
          {project.template} · last activity {timeAgo(project.updated_at)}
          {project.description ? ` · ${project.description}` : ""}
        </p>
      </div>
      <StatusBadge state={status} />
      <div className="flex gap-1">
        <Button size="sm" variant="ghost" onClick={() => setEditing(true)} aria-label={`Rename ${project.name}`}>
          Rename
        </Button>
        <Button size="sm" variant="ghost" onClick={() => onDelete(project)} aria-label={`Delete ${project.name}`} data-testid="delete-project">
          Delete
        </Button>
      </div>
    </li>
  );
}
