import { expect } from "vitest";

/** The one error body every API error uses. */
export interface ErrorBody {
  detail: string;
  error: { code: string; message: string; request_id: string; fields?: { path: string; message: string }[] };
}

/** Asserts status, JSON content type and the exact error shape; returns the body for further checks. */
export async function expectError(res: Response, status: number, code: string): Promise<ErrorBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = JSON.parse(text) as ErrorBody;
  expect(Object.keys(body).sort()).toEqual(["detail", "error"]);
  expect(body.error.code).toBe(code);
  expect(body.detail).toBe(body.error.message);
  expect(body.error.request_id).toMatch(/^[\w.-]{1,64}$/);
  expect(res.headers.get("x-request-id")).toBe(body.error.request_id);
  return body;
}

export const json = (value: unknown, headers: Record<string, string> = {}): RequestInit => ({
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(value),
});
