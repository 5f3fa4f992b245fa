import type { PreviewError } from "@/lib/client/api-types";
import { filesApi } from "@/lib/client/files-api";
import { previewErrorsPrompt as buildPrompt } from "@/lib/shared/preview-error-prompt";

/** The chat prompt asking the agent to fix the preview's errors (Fix with AI), code read through the files API. */
export function previewErrorsPrompt(projectId: string, errors: PreviewError[]): Promise<string> {
  return buildPrompt(errors, async (file) => {
    const f = await filesApi.read(projectId, file);
    return f.binary ? undefined : f.content;
  });
}
