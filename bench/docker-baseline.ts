import type Docker from "dockerode";
import { docker } from "../tests/containers/support";

/** Polls the port until it answers 200 (each poll with a timeout: a port that is published early can hang). */
export async function pollUntilOk(port: number): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The baseline: the same container a project gets, run straight on the engine. */
export async function rawDockerRun(spec: Docker.ContainerInspectInfo): Promise<number> {
  const portKey = Object.keys(spec.Config.ExposedPorts ?? {})[0]!;
  const t0 = performance.now();
  const container = await docker.createContainer({
    Image: spec.Config.Image,
    Cmd: spec.Config.Cmd,
    WorkingDir: spec.Config.WorkingDir,
    User: spec.Config.User,
    Env: spec.Config.Env,
    ExposedPorts: { [portKey]: {} },
    HostConfig: { Binds: spec.HostConfig.Binds, PortBindings: { [portKey]: [{ HostIp: "127.0.0.1", HostPort: "" }] }, Tmpfs: spec.HostConfig.Tmpfs },
  });
  await container.start();
  const info = await container.inspect();
  const port = Number(info.NetworkSettings.Ports[portKey]![0]!.HostPort);
  await pollUntilOk(port);
  const ms = performance.now() - t0;
  await container.remove({ force: true });
  return ms;
}
