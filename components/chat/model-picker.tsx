"use client";

import { useEffect, useState } from "react";
import { api } from "@/lib/client/api-client";
import type { ModelInfo } from "@/lib/client/api-types";

/** Which model the next message uses. */
export function ModelPicker({ value, onChange }: { value: string; onChange: (model: string) => void }) {
  const [models, setModels] = useState<ModelInfo[]>([]);
  useEffect(() => {
    api
      .get<ModelInfo[]>("/models/all")
      .then(setModels)
      .catch(() => setModels([]));
  }, []);
  return (
    <select
      aria-label="Model"
      data-testid="model-picker"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      className="max-w-44 truncate rounded-md border border-zinc-300 bg-white px-1.5 py-1 text-xs dark:border-zinc-700 dark:bg-zinc-900"
    >
      <option value="">Server default</option>
      {value && !models.some((m) => m.id === value) && <option value={value}>{value}</option>}
      {models
        .filter((m) => m.available)
        .map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
    </select>
  );
}
