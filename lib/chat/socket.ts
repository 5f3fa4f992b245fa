import type { IncomingMessage } from "node:http";
import { warmProjectOverview } from "@/lib/agent/overview";
import type { WebSocket } from "ws";
import { z } from "zod";
import { notFound } from "@/lib/errors";
import { log } from "@/lib/log";
import { watchProject } from "@/lib/files/watcher";
import { subscribeProjectEvents, type ProjectEvent } from "@/lib/realtime/project-events";
import { registerSocketRoute } from "@/lib/realtime/upgrade";
import { clientFrame, type ChatErrorCode, type ClientFrame, type ServerFrame } from "@/lib/shared/chat-protocol";
import { getDb } from "@/prisma-free-db/client";
import { getOwnedChatSession } from "@/prisma-free-db/queries/chat-sessions";
import { requireOwnedProject } from "@/lib/auth/owned-project";
import type { Project } from "@/prisma-free-db/queries/projects";
import { activeTurnOfProject, activeTurnOfSession, cancelTurn } from "./active-turns";
import { userActed } from "./auto-fix-state";
import { existingSessionStream, sessionStream, type SessionStream } from "./session-stream";
import { provideTurnModule } from "./turn-loader";
import { singleton } from "@/lib/shared/singleton";

// The agent (ai SDK, provider client, tools, containers, checkpoints) is the heaviest part of the server
// to load: it is imported on the first turn, and warmed right after the server listens (lib/server/routes.ts),
// so start-up does not wait for it.
let turnModule: Promise<typeof import("./turn")> | undefined;
export const loadTurnModule = () => (turnModule ??= import("./turn"));
provideTurnModule(loadTurnModule);

const socketLog = log.child({ module: "chat-socket" });
/** A client that stops reading is disconnected rather than buffered without bound; it can resume. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;

const uuid = z.uuid();
const authorizedProjects = new WeakMap<IncomingMessage, Project>();

// Both paths: the guideline's /api/v1/chat/stream/{project_id} and its /ws/chat/{project_id} alias.
registerSocketRoute({
  pattern: /^\/(?:api\/v1\/chat\/stream|ws\/chat)\/(?<project_id>[^/]+)$/,
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
    new ChatConnection(socket, project, caller.user.id).start(new URL(req.url ?? "/", "http://internal").searchParams);
  },
});

type DirectFrame = Omit<ServerFrame, "seq" | "project_id"> & { session_id: string | null };

class ChatConnection {
  private sessions = new Map<string, () => void>();
  private unsubscribeProject: (() => void) | null = null;
  private stopWatching: (() => void) | null = null;
  alive = true;

  constructor(
    private readonly socket: WebSocket,
    private readonly project: Project,
    private readonly userId: string,
  ) {}

  start(query: URLSearchParams) {
    connections.add(this);
    this.unsubscribeProject = subscribeProjectEvents(this.project.id, (event) => this.forwardProjectEvent(event));
    // Changes made inside the container (npm, the agent's commands, the dev server) reach open tabs too.
    this.stopWatching = watchProject(this.project.id);
    // The agent's project overview is built now, off the path of the first message's turn.
    warmProjectOverview(this.project.id);
    this.socket.on("message", (data, isBinary) => void this.onMessage(data as Buffer, isBinary));
    this.socket.on("pong", () => (this.alive = true));
    this.socket.on("close", () => this.stop());
    this.socket.on("error", () => this.stop());
    const sessionId = query.get("session_id");
    if (sessionId) {
      const lastSeq = Number(query.get("last_seq") ?? "0");
      void this.resume(sessionId, Number.isInteger(lastSeq) && lastSeq >= 0 ? lastSeq : 0);
    }
  }

  private stop() {
    connections.delete(this);
    this.unsubscribeProject?.();
    this.unsubscribeProject = null;
    this.stopWatching?.();
    this.stopWatching = null;
    for (const unsubscribe of this.sessions.values()) unsubscribe();
    this.sessions.clear();
  }

  terminate() {
    this.socket.terminate();
    this.stop();
  }

  ping() {
    this.alive = false;
    this.socket.ping();
  }

  private send(json: string) {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.socket.close(1013, "client too slow; reconnect and resume");
      return;
    }
    this.socket.send(json);
  }

  private direct(frame: DirectFrame) {
    this.send(JSON.stringify({ ...frame, project_id: this.project.id, seq: null } satisfies Omit<ServerFrame, "seq"> & { seq: null }));
  }

  private error(code: ChatErrorCode, message: string, sessionId: string | null, extra: Record<string, unknown> = {}) {
    this.direct({ type: "error", content: message, session_id: sessionId, metadata: { code, ...extra } });
  }

  private attach(stream: SessionStream) {
    if (this.sessions.has(stream.sessionId)) return;
    this.sessions.set(
      stream.sessionId,
      stream.subscribe((json) => this.send(json)),
    );
  }

  private forwardProjectEvent(event: ProjectEvent) {
    if (event.type === "file_changed") {
      const { type: _type, ...metadata } = event;
      this.direct({ type: "file_changed", content: event.path, session_id: null, metadata });
    } else if (event.type === "preview_ready") {
      this.direct({ type: "preview_ready", content: event.url, session_id: null, metadata: { url: event.url, port: event.port } });
    } else if (event.type === "turn_undone") {
      const { type: _type, ...metadata } = event;
      this.direct({ type: "turn_undone", content: "", session_id: null, metadata });
    } else if (event.type === "preview_error") {
      this.direct({ type: "preview_error", content: event.error?.message ?? "", session_id: null, metadata: { count: event.count, error: event.error } });
    } else if (event.type === "container_state") {
      this.direct({
        type: "status",
        content: event.error ?? `Container ${event.state}`,
        session_id: null,
        metadata: { state: "container", container: event.state },
      });
    }
  }

  private async onMessage(data: Buffer, isBinary: boolean) {
    let frame: ClientFrame;
    try {
      if (isBinary) throw new Error("binary");
      const parsed = clientFrame.safeParse(JSON.parse(data.toString("utf8")));
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message }));
        this.error("invalid_frame", "Invalid frame: see metadata.fields", null, { fields });
        return;
      }
      frame = parsed.data;
    } catch {
      this.error("invalid_frame", "Invalid frame: send one JSON object per text message", null);
      return;
    }
    if (frame.project_id && frame.project_id !== this.project.id) {
      this.error("invalid_frame", "project_id does not match this socket's project", frame.session_id ?? null, {
        fields: [{ path: "project_id", message: "must be this socket's project" }],
      });
      return;
    }
    try {
      switch (frame.type) {
        case "ping":
          this.direct({ type: "pong", content: "", session_id: frame.session_id ?? null, metadata: { time: new Date().toISOString() } });
          return;
        case "resume":
          await this.resume(frame.session_id, frame.metadata.last_seq);
          return;
        case "cancel":
          userActed(this.project.id);
          this.cancel(frame.session_id ?? null);
          return;
        case "user_message": {
          userActed(this.project.id);
          const { startTurn } = await loadTurnModule();
          await startTurn({
            project: this.project,
            userId: this.userId,
            sessionId: frame.session_id,
            content: frame.content,
            model: frame.metadata?.model,
            attachments: frame.metadata?.attachments,
            mode: frame.metadata?.mode,
            reject: (code, message, extra) => this.error(code, message, frame.session_id ?? null, extra),
            attach: (stream) => this.attach(stream),
          });
          return;
        }
      }
    } catch (error) {
      socketLog.error("frame handling failed", { project_id: this.project.id, type: frame.type, error });
      this.error("internal", "Internal error", null);
    }
  }

  private cancel(sessionId: string | null) {
    const turn = sessionId ? activeTurnOfSession(sessionId) : activeTurnOfProject(this.project.id);
    if (!turn || turn.projectId !== this.project.id || turn.userId !== this.userId || !cancelTurn(turn)) {
      this.error("not_found", "No turn is running to cancel", sessionId);
      return;
    }
    if (turn.sessionId)
      existingSessionStream(turn.sessionId)?.emit({
        type: "status",
        content: "Cancelling",
        session_id: turn.sessionId,
        project_id: this.project.id,
        metadata: { state: "cancelling" },
      });
  }

  private async resume(sessionId: string, lastSeq: number) {
    const session = uuid.safeParse(sessionId).success ? await getOwnedChatSession(await getDb(), { id: sessionId, userId: this.userId }) : undefined;
    if (!session || session.project_id !== this.project.id) {
      this.error("not_found", "Chat session not found in this project", sessionId);
      return;
    }
    // Replay and subscription happen in the same tick, so no frame falls between them.
    const stream = existingSessionStream(sessionId) ?? sessionStream(sessionId);
    const { frames, gap, firstAvailable } = stream.since(lastSeq);
    if (gap) {
      this.error("replay_gap", "Some frames of this session are no longer buffered; reload the conversation over REST.", sessionId, {
        first_available_seq: firstAvailable,
      });
    }
    for (const f of frames) this.send(f);
    this.attach(stream);
    this.direct({
      type: "status",
      content: "Resumed",
      session_id: sessionId,
      metadata: { state: "resumed", replayed: frames.length, turn_active: Boolean(activeTurnOfSession(sessionId)) },
    });
  }
}

// One heartbeat timer for all chat sockets: a peer that misses a ping round is dropped.
const connections = new Set<ChatConnection>();
singleton("chatHeartbeat", () =>
  setInterval(() => {
    for (const c of connections) {
      if (!c.alive) c.terminate();
      else c.ping();
    }
  }, HEARTBEAT_MS).unref(),
);
