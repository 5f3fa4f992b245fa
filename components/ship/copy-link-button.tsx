"use client";

import { useState } from "react";
import { Button } from "../ui/button";

/** Copies a link; says so for a moment, or says what to do when the browser refuses the clipboard. */
export function CopyLinkButton({ url, testId = "copy-link" }: { url: string; testId?: string }) {
  const [note, setNote] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setNote("Copied");
    } catch {
      setNote("Copy blocked: select the link instead");
    }
    setTimeout(() => setNote(null), 2000);
  };
  return (
    <Button size="sm" variant="ghost" onClick={() => void copy()} data-testid={testId} title={url} className="whitespace-nowrap">
      {note ?? "Copy link"}
    </Button>
  );
}
