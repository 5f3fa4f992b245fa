/** A browser runtime error of a project's dev preview: as the page reports it, and as Slipway keeps and announces it. */

export const previewErrorKinds = ["error", "unhandled_rejection", "console_error", "resource", "vite_overlay"] as const;
export type PreviewErrorKind = (typeof previewErrorKinds)[number];

export interface PreviewErrorReport {
  kind: PreviewErrorKind;
  message: string;
  stack?: string;
  /** The script URL the browser names (ErrorEvent.filename, a failed element's src, a stack frame). */
  source?: string;
  line?: number;
  column?: number;
}

export interface PreviewError {
  id: string;
  kind: PreviewErrorKind;
  message: string;
  stack: string | null;
  /** Project-relative path of the file the error points at, when it exists in the project. */
  file: string | null;
  line: number | null;
  column: number | null;
  first_seen: string;
  last_seen: string;
  count: number;
}
