"use client";

import { useEffect, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorBanner } from "../ui/error-banner";
import { inputClass } from "../ui/field";

interface EnvVar {
  key: string;
  secret: boolean;
  value: string | null;
  hint: string | null;
}
interface EnvList {
  vars: EnvVar[];
  restart_required: boolean;
}
/** A row being edited: a stored secret keeps `value` empty and `stored` true until the user types a new value. */
interface Row {
  id: number;
  key: string;
  value: string;
  secret: boolean;
  stored: boolean;
  hint: string | null;
}

let nextId = 0;
const toRows = (vars: EnvVar[]): Row[] =>
  vars.map((v) => ({ id: nextId++, key: v.key, value: v.value ?? "", secret: v.secret, stored: v.secret, hint: v.hint }));

/** The workbench's Settings button: the app's environment variables and secrets in a dialog. */
export function EnvSettingsButton({ projectId, onRestart }: { projectId: string; onRestart: () => Promise<unknown> }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="sm" variant="ghost" onClick={() => setOpen(true)} data-testid="env-open">
        Settings
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="Environment variables" testId="env-dialog">
        {open && <EnvEditor projectId={projectId} onRestart={onRestart} />}
      </Dialog>
    </>
  );
}

function EnvEditor({ projectId, onRestart }: { projectId: string; onRestart: () => Promise<unknown> }) {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [restartRequired, setRestartRequired] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = `/projects/${projectId}/env`;

  useEffect(() => {
    api.get<EnvList>(path).then(
      (list) => {
        setRows(toRows(list.vars));
        setRestartRequired(list.restart_required);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, [path]);

  const update = (id: number, patch: Partial<Row>) => setRows((rs) => rs?.map((r) => (r.id === id ? { ...r, ...patch } : r)) ?? null);

  async function save() {
    if (!rows) return;
    setBusy(true);
    setError(null);
    try {
      const vars = rows.map((r) => (r.secret && r.stored && r.value === "" ? { key: r.key, secret: true } : { key: r.key, secret: r.secret, value: r.value }));
      const list = await api.put<EnvList>(path, { vars });
      setRows(toRows(list.vars));
      setRestartRequired(list.restart_required);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function restart() {
    setBusy(true);
    try {
      await onRestart();
      setRestartRequired(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex flex-col gap-3 text-sm">
      <p className="text-xs text-zinc-500">
        Passed to the app&apos;s container and to deployments made after saving; never written into the project&apos;s files, exports or checkpoints. Secrets
        are stored encrypted and never shown again. Browser code sees only VITE_* (Vite) or NEXT_PUBLIC_* (Next.js) names.
      </p>
      <ErrorBanner message={error} testId="env-error" />
      {!rows && !error && <p className="text-zinc-500">Loading…</p>}
      {rows?.map((r, i) => (
        <div key={r.id} className="flex items-center gap-2" data-testid={`env-row-${i}`}>
          <input
            className={`${inputClass} w-44 font-mono`}
            placeholder="NAME"
            value={r.key}
            aria-label="Name"
            data-testid="env-key"
            onChange={(e) => update(r.id, { key: e.target.value, stored: false })}
          />
          <input
            className={`${inputClass} flex-1 font-mono`}
            type={r.secret ? "password" : "text"}
            placeholder={r.secret && r.stored ? `hidden ${r.hint ?? ""}`.trim() : "value"}
            value={r.value}
            aria-label="Value"
            data-testid="env-value"
            onChange={(e) => update(r.id, { value: e.target.value })}
          />
          <label className="flex items-center gap-1 text-xs">
            <input type="checkbox" checked={r.secret} data-testid="env-secret" onChange={(e) => update(r.id, { secret: e.target.checked })} />
            secret
          </label>
          <Button size="sm" variant="ghost" onClick={() => setRows((rs) => rs?.filter((x) => x.id !== r.id) ?? null)} aria-label={`Remove ${r.key}`}>
            ✕
          </Button>
        </div>
      ))}
      <div className="flex items-center gap-2">
        <Button
          size="sm"
          onClick={() => setRows((rs) => [...(rs ?? []), { id: nextId++, key: "", value: "", secret: false, stored: false, hint: null }])}
          disabled={!rows}
          data-testid="env-add"
        >
          Add variable
        </Button>
        <span className="flex-1" />
        <Button size="sm" variant="primary" onClick={() => void save()} disabled={!rows || busy} data-testid="env-save">
          Save
        </Button>
      </div>
      {restartRequired && (
        <div
          className="flex items-center gap-2 rounded-md bg-amber-50 px-3 py-2 text-amber-900 dark:bg-amber-950 dark:text-amber-200"
          data-testid="env-restart-note"
        >
          <span className="flex-1">The dev server reads variables when it starts: restart it to apply them.</span>
          <Button size="sm" onClick={() => void restart()} disabled={busy} data-testid="env-restart">
            Restart
          </Button>
        </div>
      )}
    </div>
  );
}
