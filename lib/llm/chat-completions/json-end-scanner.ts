/**
 * Follows a JSON text as it streams in, fragment by fragment, and says when it may be complete: for an object or
 * array, once its closing bracket has arrived (and after); for anything else, always. A tool call's arguments
 * arrive in hundreds or thousands of fragments, and trying JSON.parse on the whole text after each one is
 * quadratic (a 200 KB write_file: ~2 s of CPU); this is one pass over the characters.
 */
export class JsonEndScanner {
  private depth = 0;
  private state: "before" | "container" | "closed" | "scalar" = "before";
  private inString = false;
  private escaped = false;

  /** Reads the next fragment; true when the text so far may be complete JSON (worth a JSON.parse). */
  feed(fragment: string): boolean {
    if (this.state === "closed" || this.state === "scalar") return true;
    for (let i = 0; i < fragment.length; i++) {
      const c = fragment.charCodeAt(i);
      if (this.state === "before") {
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
        if (c !== 0x7b && c !== 0x5b) {
          this.state = "scalar";
          return true;
        }
        this.state = "container";
        this.depth = 1;
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if ((c === 0x7d || c === 0x5d) && --this.depth === 0) {
        this.state = "closed";
        return true;
      }
    }
    return false;
  }
}
