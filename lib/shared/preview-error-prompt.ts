/**
 * The chat prompt asking the agent to fix preview errors: each error's message, place, stack and the code around
 * its line. Built in the browser (Fix with AI) and on the server (auto-fix), each reading files its own way.
 */

const CONTEXT_LINES = 10;
const MAX_ERRORS = 10;

export interface PromptError {
  kind: string;
  message: string;
  stack: string | null;
  file: string | null;
  line: number | null;
  count?: number;
}

/** Reads a project file as text, or undefined when it cannot be read as text. */
export type ReadText = (file: string) => Promise<string | undefined>;

/** Up to ~20 numbered lines of the file around `line`, or undefined when the file cannot be read as text. */
async function codeAround(readText: ReadText, file: string, line: number): Promise<string | undefined> {
  const content = await readText(file).catch(() => undefined);
  if (content === undefined) return undefined;
  const lines = content.split("\n");
  const from = Math.max(1, line - CONTEXT_LINES);
  const to = Math.min(lines.length, line + CONTEXT_LINES);
  const width = String(to).length;
  return lines
    .slice(from - 1, to)
    .map((text, i) => `${String(from + i).padStart(width)}${from + i === line ? " >" : "  "} ${text}`)
    .join("\n");
}

export async function previewErrorsPrompt(errors: PromptError[], readText: ReadText, intro?: string): Promise<string> {
  const parts = [
    intro ??
      `The preview shows ${errors.length === 1 ? "an error" : `${errors.length} errors`} in the browser. Please find the cause and fix ${errors.length === 1 ? "it" : "them"}.`,
  ];
  for (const e of errors.slice(0, MAX_ERRORS)) {
    const place = e.file ? ` (${e.file}${e.line ? `:${e.line}` : ""})` : "";
    let block = `\n### ${e.kind}${place}${e.count && e.count > 1 ? `, seen ${e.count} times` : ""}\n\`\`\`\n${e.message}\n\`\`\``;
    if (e.stack && e.stack !== e.message) block += `\nStack:\n\`\`\`\n${e.stack.split("\n").slice(0, 15).join("\n")}\n\`\`\``;
    if (e.file && e.line) {
      const code = await codeAround(readText, e.file, e.line);
      if (code) block += `\nCode in ${e.file}:\n\`\`\`\n${code}\n\`\`\``;
    }
    parts.push(block);
  }
  if (errors.length > MAX_ERRORS) parts.push(`\n(${errors.length - MAX_ERRORS} more not shown.)`);
  return parts.join("\n");
}
