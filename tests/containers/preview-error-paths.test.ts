import { describe, expect, it } from "vitest";
import { candidatePath, firstStackFrame } from "@/lib/preview/errors";
import { injectReporter } from "@/lib/preview/reporter-script";

const origin = "http://shop.preview.localhost:3000";

describe("where a preview error points in the project", () => {
  it("maps script URLs of the preview to project paths", () => {
    expect(candidatePath(`${origin}/main.js`, origin)).toBe("main.js");
    expect(candidatePath(`${origin}/src/App.tsx?t=1733420000000`, origin)).toBe("src/App.tsx");
    expect(candidatePath(`${origin}/@fs/app/src/lib/x.ts?v=12#frag`, origin)).toBe("src/lib/x.ts");
    expect(candidatePath(`${origin}/pages/`, origin)).toBe("pages/index.html");
    expect(candidatePath(`${origin}/caf%C3%A9.js`, origin)).toBe("café.js");
  });

  it("names no path for other origins, Vite's own modules and traversal", () => {
    expect(candidatePath("https://cdn.example.com/lib.js", origin)).toBeUndefined();
    expect(candidatePath(`${origin}/@vite/client`, origin)).toBeUndefined();
    // The URL parser resolves dot segments itself; an encoded slash could smuggle them past it.
    expect(candidatePath(`${origin}/a/%2e%2e/%2e%2e/etc/passwd`, origin)).toBe("etc/passwd");
    expect(candidatePath(`${origin}/a/..%2f..%2f..%2fetc/passwd`, origin)).toBeUndefined();
    expect(candidatePath("not a url at all:::", "about:blank")).toBeUndefined();
  });

  it("reads the first url:line:column of Chromium and Firefox stacks", () => {
    expect(firstStackFrame(`Error: x\n    at f (${origin}/src/a.ts?t=1:12:7)\n    at ${origin}/b.js:1:1`)).toEqual({
      source: `${origin}/src/a.ts?t=1`,
      line: 12,
      column: 7,
    });
    expect(firstStackFrame(`f@${origin}/main.js:3:9\n`)).toEqual({ source: `${origin}/main.js`, line: 3, column: 9 });
    expect(firstStackFrame("no frames here")).toBeUndefined();
  });

  it("puts the reporter first in the head, or first in the page without one", () => {
    const tag = '<script src="/__slipway/reporter.js"></script>';
    expect(injectReporter('<!doctype html><html><head lang="x"><script src="a.js"></script></head></html>')).toBe(
      `<!doctype html><html><head lang="x">${tag}<script src="a.js"></script></head></html>`,
    );
    expect(injectReporter("<html><body>hi</body></html>")).toBe(`<html>${tag}<body>hi</body></html>`);
    expect(injectReporter("<p>bare</p>")).toBe(`${tag}<p>bare</p>`);
  });
});
