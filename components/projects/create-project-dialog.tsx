"use client";

import { useEffect, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { Project, Template } from "@/lib/client/api-types";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorBanner } from "../ui/error-banner";
import { Field } from "../ui/field";

/** New project: optional name (the server picks a readable one when empty) and a template. */
export function CreateProjectDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (p: Project) => void }) {
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [template, setTemplate] = useState("static");
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!open || templates) return;
    api
      .get<Template[]>("/templates")
      .then((t) => {
        setTemplates(t);
        if (t.length && !t.some((x) => x.name === "static")) setTemplate(t[0]!.name);
      })
      .catch((e) => setError(errorMessage(e)));
  }, [open, templates]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const project = await api.post<Project>("/projects", { template, ...(name.trim() ? { name: name.trim() } : {}) });
      setName("");
      onCreated(project);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} title="New project" testId="create-project-dialog">
      <form onSubmit={submit} className="flex flex-col gap-4">
        <Field
          label="Name"
          hint="Optional: leave empty for a generated name such as brave-otter-42."
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={100}
          data-testid="project-name-input"
          autoFocus
        />
        <fieldset className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-medium">Template</legend>
          {!templates && !error && <p className="text-sm text-zinc-500">Loading templates…</p>}
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-2">
            {templates?.map((t) => (
              <label
                key={t.name}
                data-testid={`template-${t.name}`}
                className="flex cursor-pointer flex-col gap-0.5 rounded-md border border-zinc-200 p-3 text-sm has-[:checked]:border-indigo-500 has-[:checked]:ring-1 has-[:checked]:ring-indigo-500 dark:border-zinc-700"
              >
                <span className="flex items-center gap-2 font-medium">
                  <input type="radio" name="template" value={t.name} checked={template === t.name} onChange={() => setTemplate(t.name)} />
                  {t.title || t.name}
                </span>
                <span className="text-xs text-zinc-500">{t.description}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <ErrorBanner message={error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy || !templates?.length} data-testid="create-project-submit">
            {busy ? "Creating…" : "Create project"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
