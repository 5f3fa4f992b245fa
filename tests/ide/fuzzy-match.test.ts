import { describe, expect, it } from "vitest";
import { fuzzyFilter, fuzzyScore } from "@/components/ide/fuzzy-match";

/** Quick open's matcher (Ctrl/Cmd+P): characters in order, file names and word starts first. */
describe("fuzzy file matching", () => {
  const paths = ["src/components/Button.tsx", "src/main.tsx", "styles.css", "index.html", "src/styles/theme.css", "README.md"];

  it("matches the query's characters in order, case-insensitively, and nothing else", () => {
    expect(fuzzyScore("mtsx", "src/main.tsx")).not.toBeNull();
    expect(fuzzyScore("MAIN", "src/main.tsx")).not.toBeNull();
    expect(fuzzyScore("xsm", "src/main.tsx")).toBeNull();
    expect(fuzzyFilter("zzz", paths)).toEqual([]);
  });

  it("ranks a match in the file name above one spread over folders", () => {
    expect(fuzzyFilter("styl", paths)).toEqual(["styles.css", "src/styles/theme.css"]);
    expect(fuzzyFilter("btn", paths)[0]).toBe("src/components/Button.tsx");
  });

  it("lists every path for an empty query, up to the limit", () => {
    expect(fuzzyFilter("", paths)).toHaveLength(paths.length);
    expect(fuzzyFilter("", paths, 2)).toHaveLength(2);
  });
});
