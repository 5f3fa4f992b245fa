import fs from "node:fs";
import path from "node:path";
import { removeTempDirs } from "./helpers/server";

/** Containers and networks a previous run's servers left (a killed test file cleans up nothing). */
async function removeLeftoverInstances(base: string) {
  if (!fs.existsSync(base)) return;
  const { docker, removeInstanceContainers } = await import("./containers/support");
  if (
    !(await docker.ping().then(
      () => true,
      () => false,
    ))
  )
    return;
  for (const name of fs.readdirSync(base)) await removeInstanceContainers(path.join(base, name)).catch(() => undefined);
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
