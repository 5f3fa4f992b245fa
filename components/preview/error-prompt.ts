import type { PreviewError } from "@/lib/shared/api-types";
import { filesApi } from "@/lib/shared/files-api";

const CONTEXT_LINES = 10;
const MAX_ERRORS = 10;

/** Up to ~20 numbered lines of the file around `line`, or undefined when the file cannot be read as text. */
async function codeAround(projectId: string, file: string, line: number): Promise<string | undefined> {
  try {
    const f = await filesApi.read(projectId, file);
    if (f.binary) return undefined;
    const lines = f.content.split("\n");
    const from = Math.max(1, line - CONTEXT_LINES);
    const to = Math.min(lines.length, line + CONTEXT_LINES);
    const width = String(to).length;
    return lines
      .slice(from - 1, to)
      .map((text, i) => `${String(from + i).padStart(width)}${from + i === line ? " >" : "  "} ${text}`)
      .join("\n");
  } catch {
    return undefined;
  }
}

/** The chat prompt asking the agent to fix the preview's errors: each error's message, place, stack and code. */
export async function previewErrorsPrompt(projectId: string, errors: PreviewError[]): Promise<string> {
  const parts = [`The preview shows ${errors.length === 1 ? "an error" : `${errors.length} errors`} in the browser. Please find the cause and fix ${errors.length === 1 ? "it" : "them"}.`];
  for (const e of errors.slice(0, MAX_ERRORS)) {
    const place = e.file ? ` (${e.file}${e.line ? `:${e.line}` : ""})` : "";
    let block = `\n### ${e.kind}${place}${e.count > 1 ? `, seen ${e.count} times` : ""}\n\`\`\`\n${e.message}\n\`\`\``;
    if (e.stack && e.stack !== e.message) block += `\nStack:\n\`\`\`\n${e.stack.split("\n").slice(0, 15).join("\n")}\n\`\`\``;
    if (e.file && e.line) {
      const code = await codeAround(projectId, e.file, e.line);
      if (code) block += `\nCode in ${e.file}:\n\`\`\`\n${code}\n\`\`\``;
    }
    parts.push(block);
  }
  if (errors.length > MAX_ERRORS) parts.push(`\n(${errors.length - MAX_ERRORS} more not shown.)`);
  return parts.join("\n");
}
