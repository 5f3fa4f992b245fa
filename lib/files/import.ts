import { env } from "@/lib/env";
import { writeProjectFiles, type ChangeSource } from "./service";
import { readZipForImport } from "./zip";

/** Each file may be as large as an upload; the whole archive may expand to 4× that (zip bombs stop there). */
export const zipLimits = () => ({ maxFileBytes: env().UPLOAD_MAX_BYTES, maxTotalBytes: env().UPLOAD_MAX_BYTES * 4 });

/** Imports a zip: every entry is checked before anything is written (403 refuses the whole archive). */
export async function importZip(projectId: string, zip: Uint8Array, opts: { mode: "merge" | "replace"; source?: ChangeSource }): Promise<number> {
  const entries = readZipForImport(zip, zipLimits());
  const written = await writeProjectFiles(projectId, entries, {
    source: opts.source ?? "api",
    replace: opts.mode === "replace",
    maxFileBytes: env().UPLOAD_MAX_BYTES,
  });
  return written.length;
}
