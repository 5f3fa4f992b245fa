"use client";

import { useCallback, useEffect, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { Integration } from "@/lib/client/api-types";
import { timeAgo } from "@/lib/shared/format";
import { askConfirm } from "../ui/ask";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { inputClass } from "../ui/field";
import { toastError } from "../ui/toast";

const providers = [
  { id: "github", label: "GitHub", hint: "A personal access token with repo scope: push projects to repositories." },
  { id: "vercel", label: "Vercel", hint: "An access token: deploy projects to Vercel." },
] as const;

/** GitHub and Vercel accounts connected with a token (verified by the server, stored encrypted, never shown again). */
export function DeployIntegrations() {
  const [items, setItems] = useState<Integration[] | null>(null);
  const [tokens, setTokens] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    () =>
      api.get<Integration[]>("/integrations").then(
        (list) => setItems(list),
        (e: unknown) => setError(errorMessage(e)),
      ),
    [],
  );
  useEffect(() => {
    void load();
  }, [load]);

  const connect = async (provider: string) => {
    setBusy(provider);
    setError(null);
    try {
      await api.post(`/integrations/${provider}`, { token: tokens[provider] ?? "" });
      setTokens((t) => ({ ...t, [provider]: "" }));
      await load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const disconnect = async (provider: string) => {
    if (!(await askConfirm({ title: `Disconnect ${provider}?`, message: "The stored token is deleted.", confirmLabel: "Disconnect", danger: true }))) return;
    try {
      await api.del(`/integrations/${provider}`);
      await load();
    } catch (e) {
      toastError(e, `Could not disconnect ${provider}`);
    }
  };

  return (
    <div className="flex flex-col gap-2" data-testid="deploy-integrations">
      <ErrorBanner message={error} />
      <ul className="divide-y divide-zinc-200 rounded-md border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800">
        {providers.map((p) => {
          const item = items?.find((i) => i.provider === p.id);
          return (
            <li key={p.id} className="flex flex-col gap-2 px-3 py-2">
              <div className="flex items-center gap-3">
                <span className="w-24 font-medium">{p.label}</span>
                <span className="flex-1 text-zinc-500">
                  {item
                    ? `${item.status === "connected" ? "Connected" : "Needs a new token"} as ${item.account_login} · ${timeAgo(item.connected_at)}`
                    : items
                      ? "Not connected"
                      : "…"}
                </span>
                {item && (
                  <Button size="sm" variant="ghost" onClick={() => void disconnect(p.id)}>
                    Disconnect
                  </Button>
                )}
              </div>
              {(!item || item.status !== "connected") && (
                <form
                  className="flex gap-2"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void connect(p.id);
                  }}
                >
                  <input
                    type="password"
                    autoComplete="off"
                    aria-label={`${p.label} token`}
                    placeholder={p.hint}
                    value={tokens[p.id] ?? ""}
                    onChange={(e) => setTokens((t) => ({ ...t, [p.id]: e.target.value }))}
                    className={`${inputClass} flex-1`}
                  />
                  <Button type="submit" size="sm" disabled={!tokens[p.id] || busy === p.id}>
                    {busy === p.id ? "Checking…" : "Connect"}
                  </Button>
                </form>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
