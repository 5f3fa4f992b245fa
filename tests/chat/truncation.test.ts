import { describe, expect, it } from "vitest";
import { findTruncationPlaceholder } from "@/lib/agent/truncation";

describe("placeholder comments in a write", () => {
  it.each([
    "  // ... rest of the code unchanged",
    "/* existing code */",
    "# … remaining code",
    "<!-- rest of the content -->",
    "      {/* ...existing code... */}",
    "-- rest of the file stays",
    "//   ...   keep existing",
    "// code below remains the same",
  ])("finds %j", (line) => {
    expect(findTruncationPlaceholder(`import x from "y";\n${line}\nexport default x;\n`)).toBe(line.trim());
  });

  it.each(["// the rest of the array is sorted later", "const rest = items.slice(1); // existing items first", "# Remaining work", `//${" ".repeat(5000)}end`])(
    "leaves %j alone",
    (line) => {
      expect(findTruncationPlaceholder(`${line}\n`)).toBeNull();
    },
  );
});
