import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { BASE_IMAGE_REVISION, importHostNodeImage } from "./base-image";
import { docker } from "./engine";
import { singleton } from "@/lib/shared/singleton";

const imageLog = log.child({ module: "containers" });

async function imageExists(name: string): Promise<boolean> {
  try {
    await docker().getImage(name).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw error;
  }
}

async function tryPull(name: string): Promise<boolean> {
  try {
    const stream = await docker().pull(name, { abortSignal: AbortSignal.timeout(120_000) });
    await new Promise<void>((resolve, reject) => docker().modem.followProgress(stream, (e: Error | null) => (e ? reject(e) : resolve())));
    return true;
  } catch (error) {
    imageLog.warn("preview image pull failed", { image: name, error: (error as Error).message });
    return false;
  }
}

async function resolveImage(): Promise<string> {
  const configured = env().PREVIEW_IMAGE;
  if (await imageExists(configured)) return configured;
  const fallback = `slipway/node-base:${process.version}-r${BASE_IMAGE_REVISION}`;
  if (await imageExists(fallback)) {
    imageLog.info("using the local base image (configured preview image is missing)", { image: fallback, configured });
    return fallback;
  }
  if (await tryPull(configured)) return configured;
  imageLog.info("building the local base image from this machine's Node runtime (once)", { image: fallback, configured, node: process.execPath });
  const started = performance.now();
  await importHostNodeImage(docker(), fallback);
  imageLog.info("local base image imported", { image: fallback, duration_ms: Math.round(performance.now() - started) });
  return fallback;
}

/**
 * The image previews run in: PREVIEW_IMAGE when present or pullable, else the host-built base image.
 * Decided once per process (a failure is retried on the next call).
 */
export function previewImage(): Promise<string> {
  const slot = singleton("previewImage", () => ({ image: undefined as Promise<string> | undefined }));
  slot.image ??= resolveImage().catch((error: unknown) => {
    slot.image = undefined;
    throw error;
  });
  return slot.image;
}
