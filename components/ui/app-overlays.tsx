"use client";

import { AskHost } from "./ask";
import { useSystemTheme } from "./theme-toggle";
import { Toaster } from "./toast";

/** What every page shares: toasts, the in-app confirm/prompt dialog, and the theme following the system. */
export function AppOverlays() {
  useSystemTheme();
  return (
    <>
      <Toaster />
      <AskHost />
    </>
  );
}
