import { LABEL_INSTANCE, instanceId } from "@/lib/containers/config";
import { docker } from "@/lib/containers/engine";

/** This instance's containers by state (running, exited, created…), from one engine call. */
export async function containerCounts(): Promise<Record<string, number>> {
  const list = await docker().listContainers({ all: true, filters: { label: [`${LABEL_INSTANCE}=${instanceId()}`] } });
  const counts: Record<string, number> = {};
  for (const c of list) counts[c.State] = (counts[c.State] ?? 0) + 1;
  return counts;
}
