"use client";

import { useEffect, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import type { ModelInfo } from "@/lib/client/api-types";
import { setDefaultModel } from "@/lib/shared/preferences";
import { ErrorBanner } from "../ui/error-banner";
import { inputClass } from "../ui/field";
import { useDefaultModel } from "./use-default-model";

export function modelLabel(m: ModelInfo): string {
  const price = m.input_per_million != null && m.output_per_million != null ? ` — $${m.input_per_million} in / $${m.output_per_million} out per M tokens` : "";
  return `${m.name} (${m.provider})${price}${m.default ? " · server default" : ""}`;
}

/** The model new chats start with; kept in this browser. */
export function DefaultModelSection() {
  const [models, setModels] = useState<ModelInfo[] | null>(null);
  const value = useDefaultModel() ?? "";
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .get<ModelInfo[]>("/models/all")
      .then(setModels)
      .catch((e) => setError(errorMessage(e)));
  }, []);

  return (
    <section aria-labelledby="model-h" className="flex flex-col gap-3">
      <div>
        <h2 id="model-h" className="text-lg font-semibold">
          Default model
        </h2>
        <p className="text-sm text-zinc-500">New chats start with this model; you can switch per message in the workbench. Stored in this browser.</p>
      </div>
      <select
        aria-label="Default model"
        className={inputClass}
        value={value}
        disabled={!models}
        data-testid="default-model"
        onChange={(e) => setDefaultModel(e.target.value || null)}
      >
        <option value="">Server default</option>
        {value && models && !models.some((m) => m.id === value) && <option value={value}>{value} (not offered now)</option>}
        {models
          ?.filter((m) => m.available)
          .map((m) => (
            <option key={m.id} value={m.id}>
              {modelLabel(m)}
            </option>
          ))}
      </select>
      <ErrorBanner message={error} />
    </section>
  );
}
