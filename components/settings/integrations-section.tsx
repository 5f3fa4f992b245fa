"use client";

import { useEffect, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { Health, User } from "@/lib/client/api-types";
import { ErrorBanner } from "../ui/error-banner";
import { DeployIntegrations } from "./deploy-integrations";

const providers = [
  { id: "google", label: "Google" },
  { id: "github", label: "GitHub" },
] as const;

/** What this account and this server are connected to: sign-in identities and the LLM provider. */
export function IntegrationsSection() {
  const [me, setMe] = useState<User | null>(null);
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all([api.get<User>("/me"), api.get<Health>("/health")])
      .then(([u, h]) => {
        setMe(u);
        setHealth(h);
      })
      .catch((e) => setError(errorMessage(e)));
  }, []);

  const llm = health?.llm;
  const llmKeys = llm
    ? [llm.openrouter && "OpenRouter", llm.openai && "OpenAI", llm.anthropic && "Anthropic", llm.openai_compatible && "OpenAI-compatible URL"].filter(Boolean)
    : [];
  return (
    <section aria-labelledby="int-h" className="flex flex-col gap-3" data-testid="integrations">
      <h2 id="int-h" className="text-lg font-semibold">
        Connected integrations
      </h2>
      <h3 className="font-medium">Sign-in and AI</h3>
      <ErrorBanner message={error} />
      <ul className="divide-y divide-zinc-200 rounded-md border border-zinc-200 text-sm dark:divide-zinc-800 dark:border-zinc-800">
        {providers.map((p) => {
          const linked = me?.identities.some((i) => i.provider === p.id);
          const configured = health?.auth[p.id];
          return (
            <li key={p.id} className="flex items-center gap-3 px-3 py-2">
              <span className="w-24 font-medium">{p.label}</span>
              <span className="flex-1 text-zinc-500">
                {linked ? "Linked to this account" : configured ? "Not linked" : "Not configured on this server (see .env.example)"}
              </span>
              {!linked && configured && (
                <a
                  className="rounded-md border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"
                  href={`/api/v1/auth/${p.id}/login?link=1&redirect_to=/settings`}
                >
                  Link {p.label}
                </a>
              )}
            </li>
          );
        })}
        <li className="flex items-center gap-3 px-3 py-2">
          <span className="w-24 font-medium">LLM</span>
          <span className="flex-1 text-zinc-500" data-testid="llm-status">
            {llm
              ? `${llm.provider}${llm.model ? ` · ${llm.model}` : ""}${llmKeys.length ? ` · keys set: ${llmKeys.join(", ")}` : " · no provider key set on the server"}`
              : "…"}
          </span>
        </li>
      </ul>
      <p className="text-xs text-zinc-500">
        The server&apos;s LLM keys are set by its administrator in the environment and are never sent to the browser; your own go under{" "}
        <a className="underline" href="#models">
          Models &amp; keys
        </a>
        .
      </p>
      <h3 className="mt-2 font-medium">Deploy targets</h3>
      <DeployIntegrations />
    </section>
  );
}
