/** Quick-open's matcher: the query's characters in order anywhere in the path, best matches first. */

/** A score (higher is better), or null when `query` is not a subsequence of `path` (case-insensitive). */
export function fuzzyScore(query: string, path: string): number | null {
  const q = query.toLowerCase().replace(/\s+/g, "");
  if (!q) return 0;
  const p = path.toLowerCase();
  const nameStart = p.lastIndexOf("/") + 1;
  let score = 0;
  let at = -1;
  for (const ch of q) {
    const found = p.indexOf(ch, at + 1);
    if (found < 0) return null;
    if (found === at + 1) score += 5; // runs of consecutive characters
    if (found === 0 || "/._-".includes(p[found - 1]!)) score += 3; // the start of a word
    if (found >= nameStart) score += 2; // in the file's name rather than its folders
    at = found;
  }
  return score - path.length / 100;
}

/** The paths matching `query`, best first, at most `limit`. */
export function fuzzyFilter(query: string, paths: readonly string[], limit = 50): string[] {
  const scored: { path: string; score: number }[] = [];
  for (const path of paths) {
    const score = fuzzyScore(query, path);
    if (score !== null) scored.push({ path, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path))
    .slice(0, limit)
    .map((s) => s.path);
}
