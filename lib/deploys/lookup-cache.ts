import type { DeploymentRow } from "@/prisma-free-db/queries/deployments";
import { singleton } from "@/lib/shared/singleton";

// Host label → deployment, shared by server.ts's module copy (which serves) and the route bundles'
// (which promote and delete, and must invalidate). Short-lived so a missed invalidation heals itself.
const TTL_MS = 2000;
const cache = () => singleton("deployLookups", () => new Map<string, { row: DeploymentRow | undefined; at: number }>());

export async function cachedLookup(label: string, load: () => Promise<DeploymentRow | undefined>): Promise<DeploymentRow | undefined> {
  const hit = cache().get(label);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.row;
  const row = await load();
  if (cache().size > 5000) cache().clear();
  cache().set(label, { row, at: Date.now() });
  return row;
}

export function invalidateLookups(): void {
  cache().clear();
}
