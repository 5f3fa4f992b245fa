"use client";

import { useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { ProviderInfo, ProviderTest } from "@/lib/client/api-types";
import { timeAgo } from "@/lib/shared/format";
import { Button } from "../ui/button";
import { ErrorBanner } from "../ui/error-banner";
import { inputClass } from "../ui/field";

export const providerLabels: Record<ProviderInfo["provider"], { label: string; hint: string }> = {
  openrouter: { label: "OpenRouter", hint: "One key for many vendors' models (openrouter.ai/keys)." },
  openai: { label: "OpenAI", hint: "A key from platform.openai.com/api-keys." },
  anthropic: { label: "Anthropic", hint: "A key from console.anthropic.com." },
  "openai-compatible": {
    label: "OpenAI-compatible server",
    hint: "Ollama, LM Studio, vLLM…: its base URL (e.g. http://127.0.0.1:11434/v1); a key only if it wants one.",
  },
};

function sourceText(p: ProviderInfo): string {
  if (p.source === "user") return p.key_hint ? `Your key ····${p.key_hint}` : p.has_key ? "Your key" : "Your settings (no key)";
  if (p.source === "server") return "The server's key (shared default)";
  return "Not configured";
}

/** One provider: its status, a masked key input, a base URL where it takes one, Save, Test and Remove. */
export function ProviderCard({ info, onChanged }: { info: ProviderInfo; onChanged: (p: ProviderInfo) => void }) {
  const [key, setKey] = useState("");
  const [baseUrl, setBaseUrl] = useState(info.source === "user" ? (info.base_url ?? "") : "");
  const [busy, setBusy] = useState<"save" | "test" | "remove" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [test, setTest] = useState<ProviderTest | null>(null);
  const takesBaseUrl = info.provider === "openai-compatible";
  const { label, hint } = providerLabels[info.provider];
  const dirty = key !== "" || (takesBaseUrl && baseUrl !== (info.source === "user" ? (info.base_url ?? "") : ""));

  const save = async (): Promise<ProviderInfo> => {
    const body: { api_key?: string; base_url?: string } = {};
    if (key) body.api_key = key;
    if (takesBaseUrl) body.base_url = baseUrl.trim();
    const saved = await api.put<ProviderInfo>(`/me/providers/${info.provider}`, body);
    setKey("");
    onChanged(saved);
    return saved;
  };

  const run = async (what: "save" | "test" | "remove") => {
    setBusy(what);
    setError(null);
    if (what !== "test") setTest(null);
    try {
      if (what === "remove") {
        onChanged(await api.del<ProviderInfo>(`/me/providers/${info.provider}`));
        setBaseUrl("");
      } else {
        const current = dirty ? await save() : info;
        if (what === "test") {
          const result = await api.post<ProviderTest>(`/me/providers/${info.provider}/test`);
          setTest(result);
          if (result.ok && result.source === "user") onChanged({ ...current, last_tested_at: new Date().toISOString() });
        }
      }
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <li className="flex flex-col gap-2 rounded-md border border-zinc-200 p-3 text-sm dark:border-zinc-800" data-testid={`provider-${info.provider}`}>
      <div className="flex items-baseline gap-3">
        <span className="font-medium">{label}</span>
        <span className="flex-1 text-xs text-zinc-500" data-testid="provider-status">
          {sourceText(info)}
          {info.last_tested_at && ` · tested ${timeAgo(info.last_tested_at)}`}
        </span>
      </div>
      <p className="text-xs text-zinc-500">{hint}</p>
      <form
        className="flex flex-wrap gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          void run("save");
        }}
      >
        {takesBaseUrl && (
          <input
            aria-label={`${label} base URL`}
            type="url"
            placeholder="http://127.0.0.1:11434/v1"
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
            className={`${inputClass} min-w-56 flex-1`}
            data-testid="provider-base-url"
          />
        )}
        <input
          aria-label={`${label} API key`}
          type="password"
          autoComplete="off"
          maxLength={512}
          placeholder={info.source === "user" && info.has_key ? "Replace the key…" : takesBaseUrl ? "API key (optional)" : "API key"}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          className={`${inputClass} min-w-56 flex-1`}
          data-testid="provider-key"
        />
        <Button type="submit" size="sm" variant="primary" disabled={!dirty || busy !== null} data-testid="provider-save">
          Save
        </Button>
        <Button type="button" size="sm" disabled={busy !== null || (!info.configured && !dirty)} onClick={() => void run("test")} data-testid="provider-test">
          {busy === "test" ? "Testing…" : "Test"}
        </Button>
        {info.source === "user" && (
          <Button type="button" size="sm" variant="danger" disabled={busy !== null} onClick={() => void run("remove")} data-testid="provider-remove">
            Remove
          </Button>
        )}
      </form>
      {test && (
        <p
          role="status"
          data-testid="provider-test-result"
          className={test.ok ? "text-xs text-emerald-700 dark:text-emerald-400" : "text-xs text-red-700 dark:text-red-400"}
        >
          {test.ok
            ? `OK · ${test.latency_ms} ms · ${test.models.length} model${test.models.length === 1 ? "" : "s"}`
            : `Failed: ${test.error ?? "unknown error"}`}
        </p>
      )}
      <ErrorBanner message={error} testId="provider-error" />
    </li>
  );
}
