/**
 * Strict parsing of HTTP/1.1 message heads for the connection relay (lib/proxy/relay.ts). It accepts only the plain
 * subset it fully understands and returns undefined for anything else: the relay then hands the connection to Node's
 * HTTP server, whose parser (llhttp) answers odd or hostile input as it always does.
 */

export interface HeaderLine {
  /** Lower-case name. */
  name: string;
  value: string;
  /** The line as received, for passing it on unchanged. */
  raw: string;
}

export interface RequestHead {
  method: string;
  target: string;
  headers: HeaderLine[];
}

export interface ResponseHead {
  status: number;
  /** HTTP/1.0, or HTTP/1.1 with `Connection: close`: the upstream closes the connection after this answer. */
  closes: boolean;
  headers: HeaderLine[];
  statusLine: string;
}

/** Node's default limit for a message head (`--max-http-header-size`). */
export const MAX_HEAD_BYTES = 16 * 1024;

const CRLFCRLF = Buffer.from("\r\n\r\n");
const HEADER = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/;
// Control characters other than tab (a bare CR or LF inside a line included) are refused, as llhttp does.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const REQUEST_LINE = /^([A-Z]+) (\/[!-~]*) HTTP\/1\.1$/;
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: [^\x00-\x08\x0a-\x1f\x7f]*)?$/;

/** Where the head starting at the buffer's first byte ends (after its blank line), or -1 while it is incomplete. */
export function headEnd(buf: Buffer): number {
  const at = buf.indexOf(CRLFCRLF);
  return at < 0 ? -1 : at + 4;
}

function headerLines(lines: string[]): HeaderLine[] | undefined {
  const headers: HeaderLine[] = [];
  for (let i = 1; i < lines.length; i++) {
    const raw = lines[i]!;
    if (CONTROL.test(raw)) return undefined;
    const match = HEADER.exec(raw); // also refuses obsolete line folding (a line starting with a space)
    if (!match) return undefined;
    headers.push({ name: match[1]!.toLowerCase(), value: match[2]!, raw });
  }
  return headers;
}

/** The request head that `buf` starts with, when it is complete and within the plain subset. */
export function parseRequestHead(buf: Buffer, end: number): RequestHead | undefined {
  const lines = buf.toString("latin1", 0, end - 4).split("\r\n");
  const line = REQUEST_LINE.exec(lines[0]!);
  if (!line) return undefined;
  const headers = headerLines(lines);
  return headers && { method: line[1]!, target: line[2]!, headers };
}

/** The response head that `buf` starts with (complete), or undefined when it is malformed. */
export function parseResponseHead(buf: Buffer, end: number): ResponseHead | undefined {
  const lines = buf.toString("latin1", 0, end - 4).split("\r\n");
  const statusLine = lines[0]!;
  const status = STATUS_LINE.exec(statusLine);
  if (!status) return undefined;
  const headers = headerLines(lines);
  if (!headers) return undefined;
  const connection = headerValues(headers, "connection").join(",").toLowerCase();
  const closes = status[1] === "0" ? !/\bkeep-alive\b/.test(connection) : /\bclose\b/.test(connection);
  return { status: Number(status[2]), closes, headers, statusLine };
}

export function headerValues(headers: HeaderLine[], name: string): string[] {
  const values: string[] = [];
  for (const h of headers) if (h.name === name) values.push(h.value);
  return values;
}
