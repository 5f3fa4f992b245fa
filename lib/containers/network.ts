import type Docker from "dockerode";
import { log } from "@/lib/log";
import { LABEL_INSTANCE, instanceId } from "./config";
import { docker } from "./engine";
import { singleton } from "@/lib/shared/singleton";

const networkLog = log.child({ module: "containers" });

/** Docker's option that stops containers on one bridge from reaching each other. */
export const ICC_OPTION = "com.docker.network.bridge.enable_icc";

/** The bridge network this instance's containers join (one per instance, like the container names). */
export const projectNetworkName = () => `slipway-${instanceId()}`;

async function instanceNetworks(): Promise<Docker.NetworkInspectInfo[]> {
  const name = projectNetworkName();
  const found = await docker().listNetworks({ filters: { name: [name] } });
  // The name filter matches substrings.
  return found.filter((n) => n.Name === name);
}

async function createNetwork(): Promise<void> {
  try {
    await docker().createNetwork({
      Name: projectNetworkName(),
      Driver: "bridge",
      CheckDuplicate: true,
      Options: { [ICC_OPTION]: "false" },
      Labels: { [LABEL_INSTANCE]: instanceId() },
    });
    networkLog.info("container network created", { network: projectNetworkName() });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 409) throw error; // 409: it exists now
  }
}

/**
 * The id of this instance's container network: a bridge with inter-container traffic off (containers
 * reach the internet and are reached from the host, never each other), labelled with the instance.
 * Created on first use; concurrent callers in this process share one creation. The engine does not
 * refuse a second network of the same name created at the same moment, so when there are several
 * (another process raced this one), every caller picks the same one (lowest id) and the spares are
 * removed. Different bridges cannot reach each other either.
 */
export async function projectNetwork(): Promise<string> {
  let networks = await instanceNetworks();
  if (networks.length === 0) {
    const slot = singleton("networkCreate", () => ({ pending: undefined as Promise<void> | undefined }));
    slot.pending ??= createNetwork().finally(() => (slot.pending = undefined));
    await slot.pending;
    networks = await instanceNetworks();
  }
  const ours = networks.filter((n) => n.Labels?.[LABEL_INSTANCE] === instanceId());
  if (ours.length === 0) throw new Error(`a Docker network named ${projectNetworkName()} exists that Slipway did not create`);
  ours.sort((a, b) => a.Id.localeCompare(b.Id));
  const [winner, ...spares] = ours;
  if (winner!.Options?.[ICC_OPTION] !== "false")
    throw new Error(`the Docker network ${projectNetworkName()} lets containers reach each other (${ICC_OPTION} is not false)`);
  for (const spare of spares)
    void docker()
      .getNetwork(spare.Id)
      .remove()
      .catch(() => undefined);
  return winner!.Id;
}

/** Removes this instance's network when no container uses it (at shutdown); never throws. */
export async function removeUnusedProjectNetwork(): Promise<void> {
  try {
    for (const n of await instanceNetworks()) {
      if (n.Labels?.[LABEL_INSTANCE] !== instanceId()) continue;
      await docker()
        .getNetwork(n.Id)
        .remove()
        .then(() => networkLog.info("container network removed", { network: n.Name }))
        .catch(() => undefined); // still in use (containers stay running across restarts) or already gone
    }
  } catch {
    /* engine not reachable */
  }
}
