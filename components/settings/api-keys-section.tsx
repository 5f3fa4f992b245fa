"use client";

import { useCallback, useEffect, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { ApiKey } from "@/lib/client/api-types";
import { timeAgo } from "@/lib/shared/format";
import { askConfirm } from "../ui/ask";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { inputClass } from "../ui/field";
import { toastError } from "../ui/toast";

/** Personal API keys: create (the secret is shown once), copy, revoke. */
export function ApiKeysSection() {
  const [keys, setKeys] = useState<ApiKey[] | null>(null);
  const [name, setName] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api
      .get<ApiKey[]>("/api-keys")
      .then(setKeys)
      .catch((e) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const key = await api.post<ApiKey & { secret: string }>("/api-keys", { name });
      setSecret(key.secret);
      setCopied(false);
      setName("");
      load();
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const revoke = async (key: ApiKey) => {
    if (!(await askConfirm({ title: `Revoke "${key.name}"?`, message: "Programs using it stop working at once.", confirmLabel: "Revoke", danger: true })))
      return;
    try {
      await api.del(`/api-keys/${key.id}`);
      load();
    } catch (err) {
      toastError(err, "Could not revoke the key");
    }
  };

  const copy = async () => {
    if (!secret) return;
    await navigator.clipboard.writeText(secret).then(
      () => setCopied(true),
      () => setError("The browser did not allow copying; select the key and copy it by hand."),
    );
  };

  const active = keys?.filter((k) => !k.revoked_at) ?? [];
  return (
    <section aria-labelledby="keys-h" className="flex flex-col gap-3" data-testid="api-keys">
      <div>
        <h2 id="keys-h" className="text-lg font-semibold">
          API keys
        </h2>
        <p className="text-sm text-zinc-500">
          Use a key as <code className="rounded bg-zinc-100 px-1 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">Authorization: Bearer &lt;key&gt;</code> to
          call the same API this page uses (
          <a className="underline" href="/docs">
            reference
          </a>
          ).
        </p>
      </div>
      <form onSubmit={create} className="flex gap-2">
        <input
          aria-label="Key name"
          placeholder="Key name, e.g. ci"
          required
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
          className={`${inputClass} flex-1`}
          data-testid="api-key-name"
        />
        <Button type="submit" variant="primary" data-testid="api-key-create">
          Create key
        </Button>
      </form>
      {secret && (
        <div
          className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950"
          data-testid="api-key-secret"
        >
          <p>Copy this key now; it will not be shown again.</p>
          <div className="flex gap-2">
            <code className="flex-1 overflow-x-auto rounded bg-white px-2 py-1 font-mono text-xs select-all dark:bg-zinc-900">{secret}</code>
            <Button size="sm" onClick={() => void copy()}>
              {copied ? "Copied" : "Copy"}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setSecret(null)}>
              Done
            </Button>
          </div>
        </div>
      )}
      <ErrorBanner message={error} />
      {keys && active.length === 0 && <p className="text-sm text-zinc-500">No active keys.</p>}
      {active.length > 0 && (
        <ul className="divide-y divide-zinc-200 rounded-md border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800">
          {active.map((k) => (
            <li key={k.id} className="flex items-center gap-3 px-3 py-2" data-testid="api-key-row">
              <span className="font-medium">{k.name}</span>
              <code className="text-xs text-zinc-500">{k.prefix}…</code>
              <span className="flex-1 text-xs text-zinc-500">
                created {timeAgo(k.created_at)} · last used {timeAgo(k.last_used_at)}
              </span>
              <Button size="sm" variant="ghost" onClick={() => void revoke(k)} aria-label={`Revoke ${k.name}`}>
                Revoke
              </Button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
