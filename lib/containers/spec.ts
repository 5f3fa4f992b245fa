import fs from "node:fs";
import path from "node:path";
import type Docker from "dockerode";
import { appEnvDigest } from "@/lib/app-env/digest";
import { templatesDir, type TemplateManifest } from "@/lib/templates/catalog";
import {
  CONTAINER_CA_PATH,
  CONTAINER_RUNTIME_DIR,
  CONTAINER_WORKDIR,
  LABEL_ENV_DIGEST,
  LABEL_INSTANCE,
  LABEL_OWNER,
  LABEL_PROJECT,
  containerLimits,
  containerName,
  containerUser,
  extraCaFile,
  instanceId,
} from "./config";

/** A template's read-only runtime helpers (e.g. the static dev server), when it has any. */
export function templateRuntimeDir(template: string): string | undefined {
  const dir = path.join(templatesDir(), template, "runtime");
  return fs.existsSync(dir) ? dir : undefined;
}

const envName = (entry: string) => entry.slice(0, entry.indexOf("="));

/**
 * The hardened container for one project: unprivileged user, no capabilities, no-new-privileges,
 * read-only root with a private /tmp, memory (no swap), CPU and pids limits, only the project folder
 * mounted (plus Slipway's read-only dev-server helpers and the CA bundle), on the instance's network
 * where containers cannot reach one another (`network`, from projectNetwork() in ./network), the dev
 * port published on 127.0.0.1 only at a random host port.
 */
export function containerSpec(opts: {
  projectId: string;
  ownerId: string;
  projectDir: string;
  template: TemplateManifest;
  image: string;
  network: string;
  /** The app's own variables (`KEY=value`, from lib/app-env/service.ts); Slipway's own names win over them. */
  appEnv?: string[];
}): Docker.ContainerCreateOptions {
  const { uid, gid } = containerUser();
  const limits = containerLimits();
  const portKey = `${opts.template.port}/tcp`;
  const binds = [`${opts.projectDir}:${CONTAINER_WORKDIR}:rw`];
  const runtime = templateRuntimeDir(opts.template.name);
  if (runtime) binds.push(`${runtime}:${CONTAINER_RUNTIME_DIR}:ro`);
  const ca = extraCaFile();
  if (ca) binds.push(`${ca}:${CONTAINER_CA_PATH}:ro`);
  const tmpfsMb = Math.max(64, Math.floor(limits.memoryBytes / 1024 / 1024 / 2));
  const slipwayEnv = [
    `PORT=${opts.template.port}`,
    "HOST=0.0.0.0",
    "HOME=/tmp",
    "npm_config_cache=/tmp/.npm",
    "npm_config_update_notifier=false",
    "NODE_ENV=development",
    "BROWSER=none",
    ...(ca ? [`NODE_EXTRA_CA_CERTS=${CONTAINER_CA_PATH}`] : []),
  ];
  const slipwayNames = new Set(slipwayEnv.map(envName));
  const appEnv = (opts.appEnv ?? []).filter((entry) => !slipwayNames.has(envName(entry)));
  return {
    name: containerName(opts.projectId),
    Image: opts.image,
    Cmd: ["sh", "-c", opts.template.devCommand],
    WorkingDir: CONTAINER_WORKDIR,
    User: `${uid}:${gid}`,
    Env: [...appEnv, ...slipwayEnv],
    Labels: {
      [LABEL_PROJECT]: opts.projectId,
      [LABEL_OWNER]: opts.ownerId,
      [LABEL_INSTANCE]: instanceId(),
      [LABEL_ENV_DIGEST]: appEnvDigest(opts.appEnv ?? []),
    },
    ExposedPorts: { [portKey]: {} },
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    StopTimeout: 2,
    HostConfig: {
      Binds: binds,
      PortBindings: { [portKey]: [{ HostIp: "127.0.0.1", HostPort: "" }] },
      NetworkMode: opts.network,
      Privileged: false,
      CapDrop: ["ALL"],
      SecurityOpt: ["no-new-privileges:true"],
      ReadonlyRootfs: true,
      Tmpfs: { "/tmp": `rw,exec,nosuid,nodev,size=${tmpfsMb}m,uid=${uid},gid=${gid}` },
      Memory: limits.memoryBytes,
      MemorySwap: limits.memoryBytes,
      NanoCpus: limits.nanoCpus,
      PidsLimit: limits.pids,
      Init: true,
      AutoRemove: false,
      RestartPolicy: { Name: "no" },
      LogConfig: { Type: "json-file", Config: { "max-size": "5m", "max-file": "1" } },
    },
  };
}
