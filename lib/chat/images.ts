import { ownedAttachments, readAttachmentBytes, type AttachmentInfo } from "@/lib/attachments/store";
import { ApiError } from "@/lib/errors";
import { capabilitiesOf, modelPrices } from "@/lib/llm/prices";
import type { ChatErrorCode } from "@/lib/shared/chat-protocol";

/** An image going to the model with this turn's user message. */
export interface TurnImage {
  info: AttachmentInfo;
  data: Uint8Array;
}

/** How a user message names its images in its stored parts (chat_messages.parts). */
export type ImagePart = { type: "image"; attachment_id: string; mime: string; size: number; width: number; height: number };

export const imagePart = (a: AttachmentInfo): ImagePart => ({
  type: "image",
  attachment_id: a.id,
  mime: a.mime,
  size: a.size,
  width: a.width,
  height: a.height,
});

export function attachmentsOfParts(parts: unknown): AttachmentInfo[] {
  if (!Array.isArray(parts)) return [];
  return parts
    .filter((p): p is ImagePart => typeof p === "object" && p !== null && (p as { type?: unknown }).type === "image")
    .map((p) => ({ id: p.attachment_id, mime: p.mime as AttachmentInfo["mime"], size: p.size, width: p.width, height: p.height }));
}

/**
 * What the model reads of an earlier message's images: a note, not the images again. Every image costs hundreds
 * to over a thousand input tokens each time it is sent, and history goes with every later request; the model saw
 * them in their own turn, and the user can attach one again when it matters.
 */
export function withImageNote(content: string, images: number): string {
  if (images === 0) return content;
  const note = `[The user attached ${images === 1 ? "an image" : `${images} images`} here; shown in that turn only, not repeated.]`;
  return content.trim() ? `${content}\n\n${note}` : note;
}

/** A model of the table that reads images: the cheapest of `provider`'s, else the cheapest of any. */
export function visionModelSuggestion(provider: string): string {
  const vision = modelPrices.filter((m) => m.vision).sort((a, b) => a.input + a.output - (b.input + b.output));
  return (vision.find((m) => m.provider === provider) ?? vision[0]!).id;
}

type Refusal = { code: ChatErrorCode; message: string; extra?: Record<string, unknown> };

/** Why `model` cannot take images (vision false), or null (it can, or it is unknown and the provider decides). */
export function visionRefusal(model: string, provider: string): Refusal | null {
  if (capabilitiesOf(model).vision !== false) return null;
  const suggested = visionModelSuggestion(provider);
  return {
    code: "model_lacks_vision",
    message: `The model "${model}" cannot read images. Choose a model that can, such as "${suggested}", or send the message without images.`,
    extra: { suggested_model: suggested },
  };
}

/**
 * The images a user message names, checked before anything goes upstream: each must be the user's, in this project,
 * with its file present (else not_found), and the model must read images (vision false: model_lacks_vision; an
 * unknown model, null, is let through and the provider decides).
 */
export async function loadTurnImages(input: {
  projectId: string;
  userId: string;
  ids: string[];
  model: string;
  provider: string;
}): Promise<{ images: TurnImage[] } | Refusal> {
  if (input.ids.length === 0) return { images: [] };
  let infos: AttachmentInfo[];
  try {
    infos = await ownedAttachments(input.projectId, input.userId, input.ids);
  } catch (error) {
    if (error instanceof ApiError && error.code === "not_found") return { code: "not_found", message: error.message };
    throw error;
  }
  const refusal = visionRefusal(input.model, input.provider);
  if (refusal) return refusal;
  try {
    return { images: await Promise.all(infos.map(async (info) => ({ info, data: await readAttachmentBytes(input.projectId, info.id) }))) };
  } catch (error) {
    if (error instanceof ApiError && error.code === "not_found") return { code: "not_found", message: "An attached image's file is missing; attach it again." };
    throw error;
  }
}
