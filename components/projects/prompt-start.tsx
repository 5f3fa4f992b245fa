"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { api, ApiClientError, errorMessage } from "@/lib/client/api-client";
import type { CreatedProject, ModelInfo, Template } from "@/lib/client/api-types";
import { MAX_ATTACHMENTS_PER_MESSAGE } from "@/lib/shared/chat-protocol";
import { AttachImagesButton } from "../chat/attach-images-button";
import { PendingThumbs } from "../chat/attachment-thumbs";
import { IMAGE_TYPES } from "../chat/use-attachments";
import { Button } from "../ui/button";

type Model = Pick<ModelInfo, "id" | "name" | "provider" | "available" | "default">;

/** What POST /api/v1/projects receives from this form (with images, the same fields go as multipart to /projects/from-prompt). */
interface PromptRequest {
  prompt: string;
  template?: string;
  model?: string;
}

const EXAMPLES = [
  "A simple HTML page for my bakery with opening hours and a contact form",
  "A todo app with dark mode that remembers the list",
  "A pomodoro timer with a progress ring and sounds",
  "A markdown note editor with a live preview",
];

interface PickedImage {
  key: string;
  file: File;
  previewUrl: string;
}

let imageKeys = 0;

const selectClass = "rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";

/**
 * The home page's first box: say what to build. Submitting creates the project with its first agent turn and
 * opens the workbench on that turn (`?session=`), which streams the answer while the preview comes up.
 */
export function PromptStart() {
  const router = useRouter();
  const [prompt, setPrompt] = useState("");
  const [template, setTemplate] = useState("");
  const [model, setModel] = useState("");
  const [templates, setTemplates] = useState<Template[]>([]);
  const [models, setModels] = useState<Model[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; notConfigured: boolean } | null>(null);
  const [images, setImages] = useState<PickedImage[]>([]);
  const [imageNotice, setImageNotice] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const imagesRef = useRef(images);
  useEffect(() => {
    imagesRef.current = images;
  }, [images]);
  useEffect(() => () => imagesRef.current.forEach((i) => URL.revokeObjectURL(i.previewUrl)), []);

  const addImages = (files: File[]) => {
    const accepted = files.filter((f) => IMAGE_TYPES.includes(f.type));
    const taken = accepted.slice(0, Math.max(0, MAX_ATTACHMENTS_PER_MESSAGE - imagesRef.current.length));
    setImageNotice(
      accepted.length < files.length
        ? "Only PNG, JPEG, WebP and GIF images can be attached."
        : taken.length < accepted.length
          ? `At most ${MAX_ATTACHMENTS_PER_MESSAGE} images.`
          : null,
    );
    const picked = taken.map((file) => ({ key: `img-${++imageKeys}`, file, previewUrl: URL.createObjectURL(file) }));
    imagesRef.current = [...imagesRef.current, ...picked];
    setImages(imagesRef.current);
  };
  const removeImage = (key: string) => {
    const gone = imagesRef.current.find((i) => i.key === key);
    if (gone) URL.revokeObjectURL(gone.previewUrl);
    imagesRef.current = imagesRef.current.filter((i) => i.key !== key);
    setImages(imagesRef.current);
    setImageNotice(null);
  };

  useEffect(() => {
    api.get<Template[]>("/templates").then(setTemplates, () => setTemplates([]));
    api.get<Model[]>("/models/all").then(
      (all) => setModels(all.filter((m) => m.available)),
      () => setModels([]),
    );
  }, []);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!prompt.trim() || busy) return;
    setBusy(true);
    setError(null);
    const body: PromptRequest = { prompt: prompt.trim(), ...(template ? { template } : {}), ...(model ? { model } : {}) };
    try {
      let created: CreatedProject;
      if (images.length === 0) created = await api.post<CreatedProject>("/projects", body);
      else {
        const form = new FormData();
        for (const [key, value] of Object.entries(body)) form.append(key, value);
        for (const image of images) form.append("images", image.file, image.file.name || `pasted.${image.file.type.replace("image/", "")}`);
        created = await api.post<CreatedProject>("/projects/from-prompt", form);
      }
      router.push(`/projects/${created.id}${created.session_id ? `?session=${created.session_id}` : ""}`);
    } catch (err) {
      setError({ message: errorMessage(err), notConfigured: err instanceof ApiClientError && err.reason === "llm_not_configured" });
      setBusy(false);
    }
  };

  return (
    <form
      onSubmit={submit}
      className={`flex flex-col gap-3 rounded-xl ${dragging ? "outline-2 outline-offset-4 outline-dashed outline-indigo-400" : ""}`}
      data-testid="prompt-start"
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes("Files")) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        if (!e.dataTransfer.types.includes("Files")) return;
        e.preventDefault();
        setDragging(false);
        addImages([...e.dataTransfer.files]);
      }}
    >
      <label htmlFor="prompt-input" className="text-2xl font-semibold">
        What do you want to build?
      </label>
      <textarea
        id="prompt-input"
        data-testid="prompt-input"
        value={prompt}
        onChange={(e) => setPrompt(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) void submit(e);
        }}
        onPaste={(e) => {
          const pasted = [...e.clipboardData.files].filter((f) => f.type.startsWith("image/"));
          if (pasted.length === 0) return;
          e.preventDefault();
          addImages(pasted);
        }}
        rows={5}
        maxLength={100_000}
        placeholder="Describe the app or page: what it shows, what it does, how it looks."
        className="w-full resize-y rounded-lg border border-zinc-300 bg-white p-3 text-base shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-900"
        autoFocus
      />
      <PendingThumbs
        items={images.map((i) => ({ key: i.key, previewUrl: i.previewUrl, name: i.file.name || "pasted image", state: "ready" }))}
        onRemove={removeImage}
      />
      {imageNotice && (
        <p role="status" className="text-xs text-amber-700 dark:text-amber-300">
          {imageNotice}
        </p>
      )}
      <div className="flex flex-wrap gap-2" data-testid="prompt-examples">
        {EXAMPLES.map((example) => (
          <button
            key={example}
            type="button"
            onClick={() => setPrompt(example)}
            className="rounded-full border border-zinc-300 px-3 py-1 text-xs text-zinc-600 hover:border-indigo-400 hover:text-indigo-600 dark:border-zinc-700 dark:text-zinc-300"
          >
            {example}
          </button>
        ))}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2 text-sm">
          Template
          <select value={template} onChange={(e) => setTemplate(e.target.value)} className={selectClass} data-testid="prompt-template">
            <option value="">Chosen for the prompt</option>
            {templates.map((t) => (
              <option key={t.name} value={t.name}>
                {t.title || t.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex items-center gap-2 text-sm">
          Model
          <select value={model} onChange={(e) => setModel(e.target.value)} className={`${selectClass} max-w-64`} data-testid="prompt-model">
            <option value="">Server default</option>
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} ({m.provider}){m.default ? " · default" : ""}
              </option>
            ))}
          </select>
        </label>
        <AttachImagesButton onFiles={addImages} label="Attach images" testId="prompt-attach" />
        <Button type="submit" variant="primary" className="ml-auto" disabled={busy || !prompt.trim()} data-testid="prompt-submit">
          {busy ? "Starting…" : "Build it"}
        </Button>
      </div>
      {error && (
        <div
          role="alert"
          data-testid="prompt-error"
          className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
        >
          {error.message}
          {error.notConfigured && (
            <>
              {" "}
              <Link href="/settings#models" className="font-medium underline" data-testid="prompt-settings-link">
                Set up a model in Settings
              </Link>
            </>
          )}
        </div>
      )}
    </form>
  );
}
