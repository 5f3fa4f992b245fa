import { removeTempDirs } from "./helpers/server";

/**
 * Clears tests/.tmp (data directories and project folders of the servers tests start) before a run: each test
 * file's folders stay after it for a look when it fails, until the next run.
 */
export default function setup() {
  removeTempDirs();
}
