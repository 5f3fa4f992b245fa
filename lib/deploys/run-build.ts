import type Docker from "dockerode";
import { DockerDemuxer } from "@/lib/containers/docker-streams";
import { docker } from "@/lib/containers/engine";

/**
 * Runs a build command in a fresh container made from `spec` (the hardened preview spec), handing its
 * output to `onOutput` as it arrives (followed from the container's log), and returns its exit code.
 * On timeout the container is killed. The container is always removed.
 */
export async function runBuildContainer(
  spec: Docker.ContainerCreateOptions,
  command: string,
  timeoutMs: number,
  onOutput: (text: string) => void,
): Promise<{ exitCode: number | null; timedOut: boolean }> {
  const container = await docker().createContainer({ ...spec, Cmd: ["sh", "-c", command] });
  let timedOut = false;
  try {
    await container.start();
    const timer = setTimeout(() => {
      timedOut = true;
      void container.kill().catch(() => undefined);
    }, timeoutMs);
    const decoder = new TextDecoder();
    const demux = new DockerDemuxer((_stream, data) => onOutput(decoder.decode(data, { stream: true })));
    const source = (await container.logs({ stdout: true, stderr: true, follow: true })) as unknown as NodeJS.ReadableStream;
    const drained = new Promise<void>((resolve) => {
      source.on("data", (chunk: Buffer) => demux.push(chunk));
      source.on("end", resolve);
      source.on("close", resolve);
      source.on("error", () => resolve());
    });
    const result = (await container.wait()) as { StatusCode?: number };
    clearTimeout(timer);
    // The log stream ends once the container has stopped and everything was sent.
    await Promise.race([drained, new Promise((r) => setTimeout(r, 5000))]);
    onOutput(decoder.decode());
    return { exitCode: result.StatusCode ?? null, timedOut };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
