import { LABEL_INSTANCE, LABEL_OWNER, LABEL_ROLE, instanceId } from "@/lib/containers/config";
import { docker } from "@/lib/containers/engine";
import { singleton } from "@/lib/shared/singleton";

/**
 * A server-side deployment's container carries the instance label and role `deploy` but no project
 * label: the preview housekeeping (lib/containers/reconcile.ts) removes such containers when the
 * instance restarts and its idle stop leaves them alone (lib/deploys/server-runtime.ts stops them).
 */
export const LABEL_DEPLOYMENT = "slipway.deployment";

export const deploymentContainerName = (deploymentId: string) => `slipway-${instanceId()}-deploy-${deploymentId}`;

export function deploymentContainerLabels(deploymentId: string, ownerId: string): Record<string, string> {
  return { [LABEL_INSTANCE]: instanceId(), [LABEL_ROLE]: "deploy", [LABEL_DEPLOYMENT]: deploymentId, [LABEL_OWNER]: ownerId };
}

/** Stops and removes a deployment's server container, if it has one (works from any module copy: by name). */
export async function removeDeploymentContainer(deploymentId: string): Promise<void> {
  singleton("deployServers", () => new Map<string, unknown>()).delete(deploymentId);
  await docker()
    .getContainer(deploymentContainerName(deploymentId))
    .remove({ force: true })
    .catch((error: { statusCode?: number }) => {
      if (error?.statusCode !== 404) throw error;
    });
}
