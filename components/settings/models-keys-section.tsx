"use client";

import { useEffect, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { ProviderInfo } from "@/lib/client/api-types";
import { ErrorBanner } from "../ui/error-banner";
import { ProviderCard } from "./provider-card";

/** Settings → Models & keys: the caller's own LLM provider keys, which serve their turns before the server's. */
export function ModelsKeysSection() {
  const [providers, setProviders] = useState<ProviderInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .get<ProviderInfo[]>("/me/providers")
      .then(setProviders)
      .catch((e) => setError(errorMessage(e)));
  }, []);

  return (
    <section id="models" aria-labelledby="models-h" className="flex scroll-mt-6 flex-col gap-3" data-testid="models-keys">
      <div>
        <h2 id="models-h" className="text-lg font-semibold">
          Models &amp; keys
        </h2>
        <p className="text-sm text-zinc-500">
          Your own provider keys pay for your chats only and win over the server&apos;s. They are stored encrypted and never shown again, sent to the browser, a
          project&apos;s container or an export.
        </p>
      </div>
      <ErrorBanner message={error} />
      <ul className="flex flex-col gap-3">
        {providers?.map((p) => (
          <ProviderCard
            key={p.provider}
            info={p}
            onChanged={(next) => setProviders((all) => all?.map((x) => (x.provider === next.provider ? next : x)) ?? null)}
          />
        ))}
      </ul>
    </section>
  );
}
