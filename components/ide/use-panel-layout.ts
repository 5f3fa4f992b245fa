"use client";

import { useCallback, useEffect, useRef } from "react";
import type { GroupImperativeHandle, Layout, LayoutChangedMeta } from "react-resizable-panels";

/**
 * Remembers a panel group's sizes in this browser (localStorage, per group id). The saved layout is applied after
 * mount rather than as the default layout, so the server-rendered page and the first client render agree.
 */
export function usePanelLayout(id: string) {
  const groupRef = useRef<GroupImperativeHandle | null>(null);
  const key = `slipway-layout:${id}`;

  useEffect(() => {
    try {
      const saved = JSON.parse(localStorage.getItem(key) ?? "null") as unknown;
      if (saved && typeof saved === "object" && Object.values(saved).every((v) => typeof v === "number")) groupRef.current?.setLayout(saved as Layout);
    } catch {
      /* unreadable or unavailable storage: the default sizes stay */
    }
  }, [key]);

  const onLayoutChanged = useCallback(
    (layout: Layout, meta: LayoutChangedMeta) => {
      if (!meta.isUserInteraction) return;
      try {
        localStorage.setItem(key, JSON.stringify(layout));
      } catch {
        /* private mode: sizes last for this page only */
      }
    },
    [key],
  );

  return { groupRef, onLayoutChanged };
}
