import type Docker from "dockerode";
import { demuxBuffer } from "@/lib/containers/docker-streams";
import { docker } from "@/lib/containers/engine";

/**
 * Runs a build command in a fresh container made from `spec` (the hardened preview spec) and returns
 * its exit code and output. The output is read from the container's log after it exits (capped by the
 * spec's json-file log limit); on timeout the container is killed. The container is always removed.
 */
export async function runBuildContainer(
  spec: Docker.ContainerCreateOptions,
  command: string,
  timeoutMs: number,
): Promise<{ exitCode: number | null; output: string; timedOut: boolean }> {
  const container = await docker().createContainer({ ...spec, Cmd: ["sh", "-c", command] });
  let timedOut = false;
  try {
    await container.start();
    const timer = setTimeout(() => {
      timedOut = true;
      void container.kill().catch(() => undefined);
    }, timeoutMs);
    const result = (await container.wait()) as { StatusCode?: number };
    clearTimeout(timer);
    const logs = (await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
    return { exitCode: result.StatusCode ?? null, output: demuxBuffer(logs), timedOut };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}
