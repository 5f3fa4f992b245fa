/**
 * Finds where an HTTP/1.1 chunked body ends (RFC 9112 §7.1) as its bytes stream past, and hands out its data, for
 * the connection relay. Malformed framing is an error: the relay then drops the connection.
 */

const MAX_LINE = 4096;
const SIZE_LINE = /^([0-9a-fA-F]{1,15})[ \t]*(?:;.*)?$/;

type State = "size" | "data" | "data-crlf" | "trailer";

export class ChunkedBody {
  private state: State = "size";
  private line = "";
  private remaining = 0;
  private trailerBytes = 0;
  done = false;

  /**
   * Reads from `buf` at `offset` until the body ends or the buffer does. Returns the offset after the bytes used,
   * or -1 when the framing is malformed. `onData` gets each piece of chunk data (slices of `buf`).
   */
  read(buf: Buffer, offset: number, onData?: (data: Buffer) => void): number {
    let i = offset;
    while (i < buf.length && !this.done) {
      if (this.state === "data") {
        const n = Math.min(this.remaining, buf.length - i);
        onData?.(buf.subarray(i, i + n));
        this.remaining -= n;
        i += n;
        if (this.remaining === 0) this.state = "data-crlf";
        continue;
      }
      // Line-based states: size line, the CRLF after data, trailer lines.
      const byte = buf[i++]!;
      if (byte !== 0x0a) {
        this.line += String.fromCharCode(byte);
        if (this.line.length > MAX_LINE) return -1;
        continue;
      }
      if (!this.line.endsWith("\r")) return -1;
      const line = this.line.slice(0, -1);
      this.line = "";
      if (this.state === "data-crlf") {
        if (line !== "") return -1;
        this.state = "size";
      } else if (this.state === "size") {
        const size = SIZE_LINE.exec(line);
        if (!size) return -1;
        this.remaining = parseInt(size[1]!, 16);
        this.state = this.remaining === 0 ? "trailer" : "data";
      } else {
        this.trailerBytes += line.length + 2;
        if (this.trailerBytes > 16 * 1024) return -1;
        if (line === "") this.done = true;
      }
    }
    return i;
  }
}
