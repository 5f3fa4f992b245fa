"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { api, errorMessage } from "@/lib/client/api-client";
import { MAX_ATTACHMENTS_PER_MESSAGE, type AttachmentInfo } from "@/lib/shared/chat-protocol";
import type { PendingAttachment } from "./attachment-thumbs";

export const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"];

let keys = 0;

/**
 * Images picked for the next message (pasted, dropped or chosen): each is uploaded at once, so sending only names
 * their ids. `notice` says why a file was left out.
 */
export function useAttachments(projectId: string) {
  const [items, setItems] = useState<PendingAttachment[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const itemsRef = useRef(items);
  useEffect(() => {
    itemsRef.current = items;
  }, [items]);
  useEffect(() => () => itemsRef.current.forEach((p) => URL.revokeObjectURL(p.previewUrl)), []);

  const update = (key: string, change: Partial<PendingAttachment>) => setItems((list) => list.map((p) => (p.key === key ? { ...p, ...change } : p)));

  const add = useCallback(
    (files: File[]) => {
      const images = files.filter((f) => IMAGE_TYPES.includes(f.type));
      const room = MAX_ATTACHMENTS_PER_MESSAGE - itemsRef.current.length;
      const taken = images.slice(0, Math.max(0, room));
      setNotice(
        images.length < files.length
          ? "Only PNG, JPEG, WebP and GIF images can be attached."
          : taken.length < images.length
            ? `At most ${MAX_ATTACHMENTS_PER_MESSAGE} images per message.`
            : null,
      );
      for (const file of taken) {
        const item: PendingAttachment = { key: `att-${++keys}`, previewUrl: URL.createObjectURL(file), name: file.name || "pasted image", state: "uploading" };
        itemsRef.current = [...itemsRef.current, item];
        setItems((list) => [...list, item]);
        const form = new FormData();
        form.append("file", file, file.name || `pasted.${file.type.replace("image/", "")}`);
        api.post<AttachmentInfo>(`/projects/${projectId}/attachments`, form).then(
          (info) => update(item.key, { state: "ready", info }),
          (e: unknown) => update(item.key, { state: "failed", error: errorMessage(e) }),
        );
      }
    },
    [projectId],
  );

  const remove = useCallback((key: string) => {
    setItems((list) => {
      const gone = list.find((p) => p.key === key);
      if (gone) URL.revokeObjectURL(gone.previewUrl);
      return list.filter((p) => p.key !== key);
    });
    setNotice(null);
  }, []);

  /** Empties the list (after sending); returns the uploaded images. */
  const take = useCallback((): AttachmentInfo[] => {
    const ready = itemsRef.current.flatMap((p) => (p.state === "ready" && p.info ? [p.info] : []));
    itemsRef.current.forEach((p) => URL.revokeObjectURL(p.previewUrl));
    itemsRef.current = [];
    setItems([]);
    setNotice(null);
    return ready;
  }, []);

  const failed = items.find((p) => p.state === "failed");
  return {
    items,
    add,
    remove,
    take,
    uploading: items.some((p) => p.state === "uploading"),
    ready: items.filter((p) => p.state === "ready").length,
    notice: notice ?? (failed ? `${failed.name}: ${failed.error}` : null),
  };
}
