/** DuckDB renders TIMESTAMPTZ as `2026-11-26 00:24:23.062348+00`; the API speaks ISO 8601. */
export function isoTime(value: unknown): string {
  if (typeof value !== "string") return value instanceof Date ? value.toISOString() : String(value);
  const normalized = value.replace(" ", "T").replace(/([+-]\d\d)$/, "$1:00");
  const date = new Date(normalized);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

export function isoTimeOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : isoTime(value);
}
