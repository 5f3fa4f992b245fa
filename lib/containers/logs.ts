import type Docker from "dockerode";
import { DockerDemuxer, demuxBuffer } from "./docker-streams";

/** The last `tail` lines of a container's combined stdout/stderr. */
export async function tailLogs(container: Docker.Container, tail: number): Promise<string> {
  const raw = (await container.logs({ stdout: true, stderr: true, tail, follow: false })) as unknown as Buffer;
  return demuxBuffer(Buffer.isBuffer(raw) ? raw : Buffer.from(raw as unknown as string));
}

/** Follows a container's logs (starting with the last `tail` lines) as a text stream that ends when the container stops. */
export async function followLogs(container: Docker.Container, tail: number, signal?: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const source = (await container.logs({ stdout: true, stderr: true, tail, follow: true, abortSignal: signal })) as NodeJS.ReadableStream & {
    destroy?: () => void;
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const demux = new DockerDemuxer((_s, data) => controller.enqueue(new Uint8Array(data)));
      source.on("data", (chunk: Buffer) => demux.push(chunk));
      source.on("end", () => controller.close());
      source.on("error", () => {
        try {
          controller.close();
        } catch {
          /* already closed */
        }
      });
    },
    cancel() {
      source.destroy?.();
    },
  });
}
