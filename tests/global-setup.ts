import fs from "node:fs";
import path from "node:path";
import { removeTempDirs } from "./helpers/server";

/** Containers and networks a previous run's servers left (a killed test file cleans up nothing). */
async function removeLeftoverInstances(base: string) {
  const { docker, removeInstanceContainers } = await import("./containers/support");
  if (
    !(await docker.ping().then(
      () => true,
      () => false,
    ))
  )
    return;
  if (fs.existsSync(base)) for (const name of fs.readdirSync(base)) await removeInstanceContainers(path.join(base, name)).catch(() => undefined);
  await removeStaleTestContainers(docker);
  await removeOrphanedNetworks(docker);
}

/** No test file runs this long: a test server's container older than this is a leftover of some earlier run. */
const STALE_TEST_CONTAINER_MS = 2 * 3600_000;

/**
 * Containers of test servers in other checkouts (their projects live under a tests/.tmp/slipway-test-* folder) whose
 * folder is gone or which are older than any test file's run: what killed runs and deleted clones left behind.
 * Containers of a test run going on in another checkout right now are younger, and are left alone.
 */
async function removeStaleTestContainers(docker: import("dockerode")) {
  for (const summary of await docker.listContainers({ all: true, filters: { label: ["slipway.instance"] } })) {
    const sources = summary.Mounts.map((m) => m.Source ?? "").filter((source) => source.includes("/tests/.tmp/slipway-test-"));
    if (sources.length === 0) continue;
    const stale = sources.some((source) => !fs.existsSync(source)) || Date.now() - summary.Created * 1000 > STALE_TEST_CONTAINER_MS;
    if (stale)
      await docker
        .getContainer(summary.Id)
        .remove({ force: true })
        .catch(() => undefined);
  }
}

/**
 * Slipway networks no container of their instance uses any more (runs whose folders are gone, e.g. other clones of
 * this repository on the same engine). Docker's default address pools hold about 30 bridge networks: orphans left
 * there make every later container start fail with "could not find an available, non-overlapping IPv4 address pool".
 * A running Slipway whose network goes recreates it on its next container start (lib/containers/network.ts).
 */
async function removeOrphanedNetworks(docker: import("dockerode")) {
  for (const network of await docker.listNetworks({ filters: { label: ["slipway.instance"] } })) {
    const instance = network.Labels?.["slipway.instance"];
    if (!instance) continue;
    const containers = await docker.listContainers({ all: true, filters: { label: [`slipway.instance=${instance}`] } });
    if (containers.length === 0)
      await docker
        .getNetwork(network.Id)
        .remove()
        .catch(() => undefined);
  }
}

/**
 * Clears tests/.tmp (data directories and project folders of the servers tests start) before a run, with the
 * Docker containers and networks of those servers: each test file's folders stay after it for a look when it
 * fails, until the next run.
 */
export default async function setup() {
  await removeLeftoverInstances(path.resolve("tests/.tmp"));
  removeTempDirs();
}
