import type { IncomingMessage } from "node:http";
import type { WebSocket } from "ws";
import { z } from "zod";
import { env } from "@/lib/env";
import { ApiError, notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import { touchProject } from "@/lib/containers/runtime-state";
import { registerSocketRoute } from "@/lib/realtime/upgrade";
import { TERMINAL_CLOSE, TERMINAL_MAX_PER_PROJECT, TERMINAL_MAX_SIZE, terminalClientFrame, type TerminalServerFrame } from "@/lib/shared/terminal-protocol";
import { requireOwnedProject } from "@/lib/auth/owned-project";
import type { Project } from "@/prisma-free-db/queries/projects";
import { paceOutput } from "./output-pacer";
import { TerminalSession, type TerminalSize } from "./session";

const terminalLog = log.child({ module: "terminal" });
/** Output stops being read from the shell while this much is waiting to reach the client. */
const HIGH_WATER_BYTES = 256 * 1024;

/** Keystrokes kept while the container starts; more are dropped. */
const MAX_PENDING_INPUTS = 256;

const uuid = z.uuid();
const authorizedProjects = new WeakMap<IncomingMessage, Project>();
/** Open terminals by `${userId}:${projectId}`. */
const openCounts = new Map<string, number>();

registerSocketRoute({
  pattern: /^\/api\/v1\/projects\/(?<project_id>[^/]+)\/terminal$/,
  authorize: async ({ caller, params, req }) => {
    const projectId = params.project_id ?? "";
    if (!uuid.safeParse(projectId).success) throw notFound("Project");
    const project = await requireOwnedProject(caller.user.id, projectId);
    authorizedProjects.set(req, project);
  },
  onConnection: (socket, { caller, req }) => {
    const project = authorizedProjects.get(req);
    if (!project) {
      socket.close(1011, "project not loaded");
      return;
    }
    new TerminalConnection(socket, project.id, caller.user.id).start(initialSize(new URL(req.url ?? "/", "http://internal").searchParams));
  },
});

function initialSize(query: URLSearchParams): TerminalSize {
  const read = (name: string, fallback: number) => {
    const n = Number(query.get(name));
    return Number.isInteger(n) && n >= 1 && n <= TERMINAL_MAX_SIZE ? n : fallback;
  };
  return { cols: read("cols", 80), rows: read("rows", 24) };
}

class TerminalConnection {
  private session: TerminalSession | undefined;
  private pending: string[] = [];
  private size: TerminalSize = { cols: 80, rows: 24 };
  private idleTimer: NodeJS.Timeout | undefined;
  private stopPacing: (() => void) | undefined;
  private released = false;
  private readonly key: string;

  constructor(
    private readonly socket: WebSocket,
    private readonly projectId: string,
    userId: string,
  ) {
    this.key = `${userId}:${projectId}`;
  }

  start(size: TerminalSize) {
    this.size = size;
    const open = openCounts.get(this.key) ?? 0;
    if (open >= TERMINAL_MAX_PER_PROJECT) {
      this.control({ type: "error", message: `At most ${TERMINAL_MAX_PER_PROJECT} terminals can be open on a project; close one first.` });
      this.socket.close(TERMINAL_CLOSE.refused, "too many terminals");
      this.released = true;
      return;
    }
    openCounts.set(this.key, open + 1);
    this.socket.on("message", (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    this.socket.on("close", () => this.stop());
    this.socket.on("error", () => this.stop());
    void this.attach();
  }

  private async attach() {
    try {
      const session = await TerminalSession.open(this.projectId, this.size, {
        onExit: (code) => {
          this.control({ type: "exit", code });
          this.socket.close(1000, "shell exited");
        },
      });
      if (this.released) {
        await session.close();
        return;
      }
      this.session = session;
      this.stopPacing = paceOutput(
        session.stream,
        (chunk) => {
          if (this.socket.readyState === this.socket.OPEN) this.socket.send(chunk, { binary: true });
        },
        () => this.socket.bufferedAmount,
        { bytesPerSecond: env().TERMINAL_OUTPUT_BYTES_PER_SECOND, highWaterBytes: HIGH_WATER_BYTES },
      );
      this.control({ type: "ready" });
      // Idle time counts from here: a container start may take a while.
      this.resetIdle();
      for (const data of this.pending.splice(0)) session.write(data);
    } catch (error) {
      const message = error instanceof ApiError ? error.message : "Could not start a shell in the project's container; check the container's state and logs.";
      if (!(error instanceof ApiError)) terminalLog.error("terminal start failed", { project_id: this.projectId, error });
      this.control({ type: "error", message });
      this.socket.close(TERMINAL_CLOSE.refused, "terminal unavailable");
    }
  }

  private control(frame: TerminalServerFrame) {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private onMessage(data: Buffer, isBinary: boolean) {
    let parsed: ReturnType<typeof terminalClientFrame.safeParse>;
    try {
      parsed = terminalClientFrame.safeParse(isBinary ? undefined : JSON.parse(data.toString("utf8")));
    } catch {
      this.control({ type: "error", message: "Invalid frame: send one JSON object per text message" });
      return;
    }
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.control({ type: "error", message: `Invalid frame: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}` });
      return;
    }
    const frame = parsed.data;
    if (frame.type === "resize") {
      this.size = { cols: frame.cols, rows: frame.rows };
      void this.session?.resize(this.size);
      return;
    }
    this.resetIdle();
    touchProject(this.projectId);
    if (this.session) this.session.write(frame.data);
    else if (this.pending.length < MAX_PENDING_INPUTS) this.pending.push(frame.data);
  }

  private resetIdle() {
    clearTimeout(this.idleTimer);
    const idleMs = env().TERMINAL_IDLE_MS;
    this.idleTimer = setTimeout(() => {
      if (this.socket.readyState === this.socket.OPEN) {
        this.socket.send(Buffer.from(`\r\n[Terminal closed after ${Math.round(idleMs / 1000)} s without input]\r\n`), { binary: true });
      }
      this.socket.close(TERMINAL_CLOSE.idle, "idle");
    }, idleMs);
    this.idleTimer.unref();
  }

  private stop() {
    if (this.released) return;
    this.released = true;
    clearTimeout(this.idleTimer);
    this.stopPacing?.();
    const open = (openCounts.get(this.key) ?? 1) - 1;
    if (open > 0) openCounts.set(this.key, open);
    else openCounts.delete(this.key);
    void this.session?.close();
  }
}
