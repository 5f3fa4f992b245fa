"use client";

import { useRef } from "react";
import { Button } from "../ui/button";
import { IMAGE_TYPES } from "./use-attachments";

/** An "Attach images" button over a hidden file input (PNG, JPEG, WebP, GIF); hands the chosen files on. */
export function AttachImagesButton({ onFiles, label, size, testId }: { onFiles: (files: File[]) => void; label: string; size?: "sm"; testId: string }) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <input
        ref={input}
        type="file"
        accept={IMAGE_TYPES.join(",")}
        multiple
        hidden
        aria-label="Choose images to attach"
        data-testid={`${testId}-input`}
        onChange={(e) => {
          onFiles([...(e.target.files ?? [])]);
          e.target.value = "";
        }}
      />
      <Button
        type="button"
        size={size}
        variant="ghost"
        onClick={() => input.current?.click()}
        aria-label="Attach images"
        title="Attach images (PNG, JPEG, WebP, GIF; or paste or drop them)"
        data-testid={`${testId}-button`}
      >
        {label}
      </Button>
    </>
  );
}
