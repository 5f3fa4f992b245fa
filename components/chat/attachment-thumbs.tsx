"use client";

import { useState } from "react";
import { apiUrl } from "@/lib/client/api-client";
import type { AttachmentInfo } from "@/lib/shared/chat-protocol";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";

export const attachmentUrl = (projectId: string, id: string) => apiUrl(`/projects/${projectId}/attachments/${id}`);

const describe = (a: AttachmentInfo, i: number) => `Attached image ${i + 1} (${a.width}×${a.height} ${a.mime.replace("image/", "").toUpperCase()})`;

/** The images of a sent message as thumbnails; a click shows one at full size. */
export function AttachmentThumbs({ projectId, attachments }: { projectId: string; attachments: AttachmentInfo[] }) {
  const [open, setOpen] = useState<number | null>(null);
  const shown = open === null ? null : attachments[open];
  return (
    <>
      <ul className="flex flex-wrap justify-end gap-1.5" aria-label="Attached images" data-testid="message-attachments">
        {attachments.map((a, i) => (
          <li key={a.id}>
            <button
              type="button"
              onClick={() => setOpen(i)}
              title="Show full size"
              className="block overflow-hidden rounded-md border border-zinc-300 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-zinc-700"
            >
              {/* eslint-disable-next-line @next/next/no-img-element -- an API-served image at its own URL, not a static asset */}
              <img
                src={attachmentUrl(projectId, a.id)}
                alt={describe(a, i)}
                className="h-20 w-20 object-cover"
                loading="lazy"
                data-testid="message-attachment"
              />
            </button>
          </li>
        ))}
      </ul>
      <Dialog
        open={shown !== null && shown !== undefined}
        onClose={() => setOpen(null)}
        title={shown ? describe(shown, open!) : ""}
        testId="attachment-viewer"
        wide
      >
        {shown && (
          <>
            {/* eslint-disable-next-line @next/next/no-img-element -- as above */}
            <img src={attachmentUrl(projectId, shown.id)} alt={describe(shown, open!)} className="mx-auto max-h-[70vh] max-w-full object-contain" />
            <div className="flex justify-end">
              <Button onClick={() => setOpen(null)} autoFocus>
                Close
              </Button>
            </div>
          </>
        )}
      </Dialog>
    </>
  );
}

/** An image picked for the next message: uploading, ready (with its id) or refused. */
export interface PendingAttachment {
  key: string;
  previewUrl: string;
  name: string;
  state: "uploading" | "ready" | "failed";
  info?: AttachmentInfo;
  error?: string;
}

/** The images waiting to go with the next message, each with a remove button. */
export function PendingThumbs({ items, onRemove }: { items: PendingAttachment[]; onRemove: (key: string) => void }) {
  if (items.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-2" aria-label="Images to send" data-testid="pending-attachments">
      {items.map((p) => (
        <li key={p.key} className="relative" data-testid="pending-attachment" data-state={p.state}>
          {/* eslint-disable-next-line @next/next/no-img-element -- a local object URL of the picked file */}
          <img
            src={p.previewUrl}
            alt={`Image to send: ${p.name}`}
            title={p.error ?? p.name}
            className={`h-16 w-16 rounded-md border object-cover ${p.state === "failed" ? "border-red-500 opacity-50" : "border-zinc-300 dark:border-zinc-700"} ${p.state === "uploading" ? "animate-pulse" : ""}`}
          />
          <button
            type="button"
            onClick={() => onRemove(p.key)}
            aria-label={`Remove image ${p.name}`}
            className="absolute -top-1.5 -right-1.5 flex h-5 w-5 items-center justify-center rounded-full bg-zinc-800 text-xs text-white hover:bg-zinc-600 focus-visible:outline-2 focus-visible:outline-indigo-500"
          >
            ×
          </button>
          {p.state === "uploading" && <span className="sr-only">Uploading…</span>}
          {p.error && (
            <span role="alert" className="sr-only">
              {p.name}: {p.error}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
