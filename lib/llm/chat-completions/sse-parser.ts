/**
 * Incremental Server-Sent Events parser (the WHATWG event-stream format): feed it decoded text as it arrives and
 * it calls `onData` with each event's data. Comments, `event:`, `id:` and `retry:` fields are ignored, as Chat
 * Completions streams carry everything in `data:` lines.
 */
export class SseParser {
  private buffer = "";
  private data: string[] = [];

  constructor(private readonly onData: (data: string) => void) {}

  feed(text: string): void {
    this.buffer += text;
    let start = 0;
    for (;;) {
      const newline = this.buffer.indexOf("\n", start);
      if (newline === -1) break;
      const end = newline > start && this.buffer.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      this.line(this.buffer.slice(start, end));
      start = newline + 1;
    }
    this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
  }

  /** The stream ended: an event that was not terminated by a blank line still counts. */
  end(): void {
    if (this.buffer !== "") this.line(this.buffer.endsWith("\r") ? this.buffer.slice(0, -1) : this.buffer);
    this.buffer = "";
    this.line("");
  }

  private line(line: string): void {
    if (line === "") {
      if (this.data.length > 0) {
        const data = this.data.length === 1 ? this.data[0]! : this.data.join("\n");
        this.data = [];
        this.onData(data);
      }
      return;
    }
    if (line.startsWith("data:")) this.data.push(line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5));
  }
}
