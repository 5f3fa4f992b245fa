import type { IncomingMessage, ServerResponse } from "node:http";
import { allContracts } from "@/lib/api/contracts";
import { ApiError } from "@/lib/errors";
import type { RouteContract } from "@/lib/api/contract";
import { answerError } from "./node-error";

type Segment = { kind: "static"; value: string } | { kind: "param" } | { kind: "catchAll" };

interface PathTemplate {
  segments: Segment[];
  methods: Set<string>;
}

/** `{name}` is one segment, or the rest of the path when the contract declares it as an array (a catch-all). */
function parseTemplate(contract: RouteContract): Segment[] {
  const shape = (contract.params as { shape?: Record<string, { def?: { type?: string } }> } | undefined)?.shape ?? {};
  return contract.path
    .split("/")
    .filter(Boolean)
    .map((part): Segment => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      if (!name) return { kind: "static", value: part };
      return shape[name]?.def?.type === "array" ? { kind: "catchAll" } : { kind: "param" };
    });
}

/** Per-segment rank when `segments` matches `parts` (lower is more specific, as Next routes), else undefined. */
function matchRank(segments: Segment[], parts: string[]): number[] | undefined {
  const rank: number[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg.kind === "catchAll") return parts.length > i ? [...rank, 2] : undefined;
    if (i >= parts.length) return undefined;
    if (seg.kind === "static" && seg.value !== parts[i]) return undefined;
    rank.push(seg.kind === "static" ? 0 : 1);
  }
  return parts.length === segments.length ? rank : undefined;
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

let templates: PathTemplate[] | undefined;
function pathTemplates(): PathTemplate[] {
  if (!templates) {
    const byPath = new Map<string, PathTemplate>();
    for (const c of allContracts) {
      const t = byPath.get(c.path) ?? { segments: parseTemplate(c), methods: new Set<string>() };
      t.methods.add(c.method);
      byPath.set(c.path, t);
    }
    templates = [...byPath.values()];
  }
  return templates;
}

/** The methods documented for the route Next would pick for a path, or undefined when no contract describes it. */
export function allowedMethods(pathname: string): Set<string> | undefined {
  const parts = pathname
    .split("/")
    .filter(Boolean)
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  let best: { rank: number[]; methods: Set<string> } | undefined;
  for (const t of pathTemplates()) {
    const rank = matchRank(t.segments, parts);
    if (rank && (!best || compareRanks(rank, best.rank) < 0)) best = { rank, methods: t.methods };
  }
  return best?.methods;
}

/**
 * Next answers a method a route file does not export with an empty 405. For documented API paths we
 * answer it ourselves, in the one error shape, before Next sees the request. Returns true when answered.
 */
export function rejectWrongMethod(req: IncomingMessage, res: ServerResponse): boolean {
  const method = req.method ?? "GET";
  if (method === "OPTIONS" || method === "HEAD") return false;
  const pathname = new URL(req.url ?? "/", "http://internal").pathname;
  const allowed = allowedMethods(pathname);
  if (!allowed || allowed.has(method)) return false;
  const message = `Method ${method} is not allowed on ${pathname}; allowed: ${[...allowed].join(", ")}`;
  answerError(req, res, new ApiError("method_not_allowed", message), pathname, { allow: [...allowed, "OPTIONS"].join(", ") });
  return true;
}
