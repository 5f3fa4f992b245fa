/**
 * Splits Docker's multiplexed stdout/stderr stream format (8-byte frame headers) of a non-TTY
 * container's logs or exec output. Keeps a partial frame between chunks.
 */
export class DockerDemuxer {
  private pending: Buffer = Buffer.alloc(0);
  constructor(private readonly onFrame: (stream: "stdout" | "stderr", data: Buffer) => void) {}

  push(chunk: Buffer) {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      const kind = this.pending[0] === 2 ? "stderr" : "stdout";
      this.onFrame(kind, this.pending.subarray(8, 8 + size));
      this.pending = this.pending.subarray(8 + size);
    }
  }
}

export function demuxBuffer(buffer: Buffer): string {
  const parts: Buffer[] = [];
  new DockerDemuxer((_s, d) => parts.push(d)).push(buffer);
  return Buffer.concat(parts).toString("utf8");
}
