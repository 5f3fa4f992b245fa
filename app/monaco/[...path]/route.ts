import fs from "node:fs/promises";
import path from "node:path";

// Monaco's AMD build, served from the app's own origin: the editor loads only when it is shown
// (never from a CDN, which a self-hosted or offline install cannot reach). Not part of the API.
const root = path.join(/*turbopackIgnore: true*/ process.cwd(), "node_modules", "monaco-editor", "min");

const types: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".ttf": "font/ttf",
  ".json": "application/json",
};

export async function GET(_req: Request, ctx: { params: Promise<{ path: string[] }> }) {
  const { path: parts } = await ctx.params;
  const file = path.resolve(root, ...parts);
  const type = types[path.extname(file)];
  if (!type || !file.startsWith(root + path.sep) || parts.some((p) => p === ".." || p.includes("\0"))) return new Response("Not found", { status: 404 });
  try {
    const body = await fs.readFile(file);
    return new Response(body, { headers: { "content-type": type, "cache-control": "public, max-age=604800" } });
  } catch {
    return new Response("Not found", { status: 404 });
  }
}
