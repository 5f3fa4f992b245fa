import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type Docker from "dockerode";

/** Programs copied next to node so that npm scripts and agent commands have a usable shell. */
const TOOLS = [
  "sh",
  "bash",
  "env",
  "ls",
  "cat",
  "cp",
  "mv",
  "rm",
  "mkdir",
  "rmdir",
  "touch",
  "ln",
  "chmod",
  "pwd",
  "echo",
  "printf",
  "head",
  "tail",
  "wc",
  "sort",
  "uniq",
  "cut",
  "tr",
  "tee",
  "sleep",
  "true",
  "false",
  "test",
  "[",
  "dirname",
  "basename",
  "readlink",
  "realpath",
  "date",
  "id",
  "uname",
  "grep",
  "sed",
  "find",
  "xargs",
  "diff",
  "timeout",
  "kill",
  "ps",
  "which",
];

const RUNTIME_LIBS =
  /^(libc|libm|libdl|libpthread|librt|libresolv|libutil|libanl|libnss_files|libnss_dns|libgcc_s|libstdc\+\+|libz|libcrypt|libatomic)\.so[.\d]*$/;

/** Bump when the recipe changes, so hosts rebuild an image they built with an older one. */
export const BASE_IMAGE_REVISION = 2;

function resolveTool(name: string): string | undefined {
  for (const dir of ["/usr/bin", "/bin", "/usr/local/bin"]) {
    const file = path.join(dir, name);
    if (fs.existsSync(file)) return fs.realpathSync(file);
  }
  return undefined;
}

/** Absolute paths of the shared libraries `ldd` lists for a binary (and the loader). */
function sharedLibraries(binary: string): string[] {
  let out: string;
  try {
    out = execFileSync("ldd", [binary], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  } catch {
    return []; // static binary or a script
  }
  const libs: string[] = [];
  for (const line of out.split("\n")) {
    const m = line.match(/=>\s*(\/\S+)/) ?? line.match(/^\s*(\/\S+)\s+\(/);
    if (m) libs.push(m[1]!);
  }
  return libs;
}

function copyInto(root: string, file: string, as = file) {
  const target = path.join(root, as);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // The library paths ldd prints are often symlinks: keep the link and copy what it points to.
  const stat = fs.lstatSync(file);
  if (stat.isSymbolicLink()) {
    const real = fs.realpathSync(file);
    if (!fs.existsSync(target)) fs.symlinkSync(real, target);
    copyInto(root, real);
    return;
  }
  if (!fs.existsSync(target)) fs.copyFileSync(file, target);
  fs.chmodSync(target, stat.mode & 0o7777);
}

/**
 * Builds an image from the host's own Node runtime (node, its libraries, npm, a shell and core tools,
 * a non-root `node` user) and imports it as `tag`. Used when PREVIEW_IMAGE is missing and cannot be
 * pulled, so an offline machine still runs previews.
 */
export async function importHostNodeImage(docker: Docker, tag: string): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "slipway-base-image-"));
  try {
    const nodeBin = fs.realpathSync(process.execPath);
    copyInto(root, nodeBin, "/usr/local/bin/node");
    const binaries = [nodeBin];
    for (const tool of TOOLS) {
      const real = resolveTool(tool);
      if (!real) continue;
      copyInto(root, real, path.join("/usr/bin", tool));
      binaries.push(real);
    }
    // /bin/sh must exist for `sh -c` and npm scripts.
    fs.mkdirSync(path.join(root, "bin"), { recursive: true });
    fs.symlinkSync("/usr/bin/sh", path.join(root, "bin/sh"));
    const libs = new Set(binaries.flatMap(sharedLibraries));
    // Native addons in project dependencies (rolldown, lightningcss, esbuild's peers) load more of glibc
    // than node itself: add the rest of the C runtime family from the folder libc lives in.
    const libc = [...libs].find((l) => /\/libc\.so\.6$/.test(l));
    if (libc) {
      const dir = path.dirname(libc);
      for (const name of fs.readdirSync(dir)) if (RUNTIME_LIBS.test(name)) libs.add(path.join(dir, name));
    }
    for (const lib of libs) copyInto(root, lib);

    const npmDir = [path.join(path.dirname(nodeBin), "../lib/node_modules/npm"), "/usr/lib/node_modules/npm", "/usr/local/lib/node_modules/npm"]
      .map((p) => path.resolve(p))
      .find((p) => fs.existsSync(path.join(p, "bin/npm-cli.js")));
    if (npmDir) {
      fs.cpSync(npmDir, path.join(root, "usr/local/lib/node_modules/npm"), { recursive: true, verbatimSymlinks: true });
      fs.symlinkSync("../lib/node_modules/npm/bin/npm-cli.js", path.join(root, "usr/local/bin/npm"));
      fs.symlinkSync("../lib/node_modules/npm/bin/npx-cli.js", path.join(root, "usr/local/bin/npx"));
    }
    fs.mkdirSync(path.join(root, "etc"), { recursive: true });
    fs.writeFileSync(path.join(root, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n");
    fs.writeFileSync(path.join(root, "etc/group"), "root:x:0:\nnode:x:1000:\n");
    fs.writeFileSync(path.join(root, "etc/hosts"), "127.0.0.1 localhost\n");
    for (const dir of ["tmp", "home/node", "app", "root"]) fs.mkdirSync(path.join(root, dir), { recursive: true });
    fs.chmodSync(path.join(root, "tmp"), 0o1777);
    fs.chownSync(path.join(root, "home/node"), 1000, 1000);
    // The CA bundle path some tools expect; the real one is mounted when NODE_EXTRA_CA_CERTS is set.
    if (fs.existsSync("/etc/ssl/certs/ca-certificates.crt")) copyInto(root, "/etc/ssl/certs/ca-certificates.crt");

    const tar = spawn("tar", ["-C", root, "-c", "."], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    tar.stderr.on("data", (d) => (stderr += d));
    const [repo, version] = tag.split(":");
    const stream: NodeJS.ReadableStream = await docker.importImage(tar.stdout, {
      repo,
      tag: version,
      changes: ["ENV PATH=/usr/local/bin:/usr/bin:/bin", "ENV HOME=/home/node", "WORKDIR /app", 'CMD ["node"]'],
    });
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()));
    });
    const code = await new Promise<number | null>((resolve) => (tar.exitCode !== null ? resolve(tar.exitCode) : tar.on("exit", resolve)));
    if (code !== 0) throw new Error(`tar failed (${code}): ${stderr}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
