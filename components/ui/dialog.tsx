"use client";

import { useEffect, useId, useRef } from "react";

/**
 * A modal on the native <dialog> element: focus trapping, Escape and the backdrop come from the browser; the title labels it. Anchored
 * near the top rather than centred, so content that loads after opening grows it downwards instead of moving what
 * the user is about to click.
 */
export function Dialog({
  open,
  onClose,
  title,
  children,
  testId,
  wide = false,
}: {
  open: boolean;
  onClose: () => void;
  title: string;
  children: React.ReactNode;
  testId?: string;
  /** As wide as the window allows (an image at full size) instead of a form's width. */
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      onClose={onClose}
      data-testid={testId}
      aria-labelledby={titleId}
      className={`mx-auto mt-[12vh] w-full ${wide ? "max-w-[90vw]" : "max-w-lg"} rounded-lg border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-black/40 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100`}
    >
      {open && (
        <div className="flex flex-col gap-4 p-5">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          {children}
        </div>
      )}
    </dialog>
  );
}
