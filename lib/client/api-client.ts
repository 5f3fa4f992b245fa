/**
 * The browser's client for the public REST API (/api/v1). It sends the session cookie and turns the
 * error body `{ detail, error: { code, message, fields } }` into an ApiClientError whose message a
 * person can read; raw JSON never reaches the screen.
 */

export interface FieldError {
  path: string;
  message: string;
}

export class ApiClientError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly fields: FieldError[] = [],
    readonly requestId?: string,
    /** Why, where the error body says more than its code (e.g. `llm_not_configured`). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = "ApiClientError";
  }
}

export interface ApiResult<T> {
  message: string;
  data: T;
  metadata?: Record<string, unknown>;
}

type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: Query;
  /** JSON-serialised unless it is FormData or a Blob. */
  body?: unknown;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

const statusWords: Record<number, string> = {
  401: "Your session has ended. Sign in again.",
  403: "Access denied.",
  404: "Not found.",
  413: "That is too large for the server.",
  502: "The server could not reach a service it needs.",
  503: "The service is unavailable right now. Try again shortly.",
  504: "The server took too long to answer.",
};

export function apiUrl(path: string, query?: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) qs.set(k, String(v));
  const s = qs.toString();
  return `/api/v1${path}${s ? `?${s}` : ""}`;
}

/** A readable sentence for anything a request can throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiClientError) return error.message;
  if (error instanceof DOMException && error.name === "AbortError") return "The request was cancelled.";
  if (error instanceof TypeError) return "Cannot reach the server. Check your connection.";
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}

async function toError(res: Response): Promise<ApiClientError> {
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const err = (body as { error?: { code?: string; message?: string; request_id?: string; fields?: FieldError[]; reason?: unknown } } | undefined)?.error;
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  const base =
    err?.message ?? (typeof detail === "string" ? detail : undefined) ?? statusWords[res.status] ?? `The server answered ${res.status} ${res.statusText}.`;
  const fields = Array.isArray(err?.fields) ? err.fields : [];
  const message = fields.length ? `${base}: ${fields.map((f) => (f.path && f.path !== "(root)" ? `${f.path} ${f.message}` : f.message)).join("; ")}` : base;
  const reason = typeof err?.reason === "string" ? err.reason : undefined;
  return new ApiClientError(
    message,
    res.status,
    err?.code ?? String(res.status),
    fields,
    err?.request_id ?? res.headers.get("x-request-id") ?? undefined,
    reason,
  );
}

/** Sends a request; returns the parsed success envelope or throws ApiClientError. */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<ApiResult<T>> {
  const res = await send(path, opts);
  if (res.status === 204) return { message: "", data: undefined as T };
  return (await res.json()) as ApiResult<T>;
}

/** Like request, for endpoints that do not answer with JSON (file bytes, zips). */
export async function send(path: string, opts: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.body instanceof FormData || opts.body instanceof Blob) body = opts.body;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] = "application/json";
  }
  const res = await fetch(apiUrl(path, opts.query), {
    method: opts.method ?? (body ? "POST" : "GET"),
    headers,
    body,
    signal: opts.signal,
    credentials: "same-origin",
  });
  if (!res.ok) throw await toError(res);
  return res;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>(path, { query, signal }).then((r) => r.data),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>(path, { method: "POST", body: body ?? {}, query }).then((r) => r.data),
  put: <T>(path: string, body?: unknown, query?: Query) => request<T>(path, { method: "PUT", body, query }).then((r) => r.data),
  patch: <T>(path: string, body: unknown) => request<T>(path, { method: "PATCH", body }).then((r) => r.data),
  del: <T>(path: string, query?: Query) => request<T>(path, { method: "DELETE", query }).then((r) => r.data),
};
