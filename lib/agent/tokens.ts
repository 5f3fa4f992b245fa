/**
 * A token count estimate for budgets (the project overview, compaction): about 4 characters per token for English
 * and code, the usual rule of thumb. Providers count differently; the budgets leave room for that.
 */
export const CHARS_PER_TOKEN = 4;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}
