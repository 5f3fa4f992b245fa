"use client";

import { useSyncExternalStore } from "react";
import { getDefaultModel, subscribePreferences } from "@/lib/shared/preferences";

/** The default model chosen in Settings (null: the server's default). */
export function useDefaultModel(): string | null {
  return useSyncExternalStore(subscribePreferences, getDefaultModel, () => null);
}
