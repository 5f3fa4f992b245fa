/**
 * Images a tool result carries for the model (check_preview's screenshot). They ride on the result object under
 * a symbol, so frames, stored parts and the JSON the model reads never contain the bytes; run-agent sends them to
 * vision models as a user message after the tool results (Chat Completions tool messages hold text only).
 */
export interface ModelImage {
  mime: string;
  data: Uint8Array;
  /** What the image is, said to the model with it. */
  caption: string;
}

const MODEL_IMAGES = Symbol("modelImages");

export function withModelImages<T extends object>(output: T, images: ModelImage[]): T {
  if (images.length > 0) Object.defineProperty(output, MODEL_IMAGES, { value: images, enumerable: false });
  return output;
}

export function modelImagesOf(output: unknown): ModelImage[] {
  if (typeof output !== "object" || output === null) return [];
  return ((output as Record<symbol, unknown>)[MODEL_IMAGES] as ModelImage[] | undefined) ?? [];
}
