import { randomUUID } from "node:crypto";
import type { Duplex } from "node:stream";
import type Docker from "dockerode";
import { CONTAINER_WORKDIR, containerUser } from "@/lib/containers/config";
import { killProcessTree } from "@/lib/containers/exec";
import { runningProjectContainer } from "@/lib/containers/service";

export interface TerminalSize {
  cols: number;
  rows: number;
}

export interface TerminalEvents {
  /** Called once when the shell ends by itself (not after close()); null when the code is unknown. */
  onExit: (code: number | null) => void;
}

/**
 * One interactive shell on a TTY in the project's running container: bash (login) when the image has it,
 * else sh, as the container user in the project folder, with only the container's own environment plus
 * TERM. The shell runs under a small wrapper that records its pid, so close() can kill the whole tree
 * (the engine has no call that ends an exec, and a closed attach leaves foreground programs running).
 */
export class TerminalSession {
  private closed = false;

  private constructor(
    private readonly container: Docker.Container,
    private readonly exec: Docker.Exec,
    readonly stream: Duplex,
    private readonly pidFile: string,
  ) {}

  static async open(projectId: string, size: TerminalSize, events: TerminalEvents): Promise<TerminalSession> {
    const container = await runningProjectContainer(projectId);
    const { uid, gid } = containerUser();
    const pidFile = `/tmp/.slipway-terminal-${randomUUID()}`;
    const script = `echo $$ > ${pidFile}; if command -v bash >/dev/null 2>&1; then bash -l; else sh -l; fi; code=$?; rm -f ${pidFile}; exit $code`;
    const exec = await container.exec({
      Cmd: ["sh", "-c", script],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      User: `${uid}:${gid}`,
      WorkingDir: CONTAINER_WORKDIR,
      Env: ["TERM=xterm-256color", "COLORTERM=truecolor"],
    });
    const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
    const session = new TerminalSession(container, exec, stream, pidFile);
    stream.on("error", () => undefined);
    let ended = false;
    const onEnd = () => {
      if (ended) return;
      ended = true;
      if (session.closed) return;
      session.closed = true;
      void exec
        .inspect()
        .then((info) => (info.Running ? null : (info.ExitCode ?? null)))
        .catch(() => null)
        .then((code) => events.onExit(code));
    };
    stream.on("end", onEnd);
    stream.on("close", onEnd);
    await session.resize(size);
    return session;
  }

  write(data: string) {
    if (!this.closed) this.stream.write(data);
  }

  /** Sets the TTY's size (the shell gets SIGWINCH); a failure (the shell just ended) is ignored. */
  async resize({ cols, rows }: TerminalSize) {
    if (this.closed) return;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await this.exec.resize({ h: rows, w: cols });
        return;
      } catch {
        // Right after start the engine may not have the TTY yet.
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Ends the shell and everything it started, and lets go of the attach stream. */
  async close() {
    if (this.closed) return;
    this.closed = true;
    await killProcessTree(this.container, this.pidFile);
    this.stream.destroy();
  }
}
