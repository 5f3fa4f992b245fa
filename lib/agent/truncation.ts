/**
 * Placeholder comments that models write instead of the real code ("// ... rest of the code unchanged").
 * A write containing one would silently delete code, so it is rejected and the model is told why. (One `\s*` on
 * each side of the optional dots: two in a row made a long run of spaces after a comment marker quadratic.)
 */
const placeholder =
  /(?:\/\/|\/\*|#|<!--|\{\/\*|--)\s*(?:(?:\.{2,}|…)\s*)?(?:the\s+)?(?:rest\s+of\s+(?:the\s+)?(?:code|file|component|implementation|content|styles?|functions?|methods?)|existing\s+(?:code|content|implementation|imports|styles?)|(?:remaining|previous|other|unchanged|same)\s+(?:code|content|implementation|functions|methods|imports)|(?:code|everything|content)\s+(?:above|below)\s+(?:remains?|stays?|is)\s+(?:the\s+same|unchanged)|keep\s+(?:the\s+)?existing|unchanged\s+(?:code|content)|remains?\s+(?:the\s+same|unchanged))/i;

/** The offending line, or null when the content looks complete. */
export function findTruncationPlaceholder(content: string): string | null {
  for (const line of content.split("\n")) {
    if (placeholder.test(line)) return line.trim().slice(0, 200);
  }
  return null;
}

export function truncationError(line: string): string {
  return (
    `Rejected: the content contains the placeholder comment \`${line}\`. Writing it would delete the code it stands for. ` +
    "Write the complete file content (or use edit_file to change only the part you mean), with no placeholder comments."
  );
}
