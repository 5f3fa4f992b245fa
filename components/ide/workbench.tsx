"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Group, Panel, Separator } from "react-resizable-panels";
import { api, errorMessage } from "@/lib/client/api-client";
import type { Project } from "@/lib/client/api-types";
import type { ChatMessage } from "@/lib/client/chat-state";
import { ProjectSocket } from "@/lib/shared/project-socket";
import { ChatPanel, type ChatApi } from "../chat/chat-panel";
import { PreviewPanel } from "../preview/preview-panel";
import { usePreviewErrors } from "../preview/use-preview-errors";
import { Button } from "../ui/button";
import { askConfirm } from "../ui/ask";
import { Dialog } from "../ui/dialog";
import { ErrorBanner } from "../ui/error-banner";
import { toastError } from "../ui/toast";
import { BottomPanel } from "./bottom-panel";
import { DiffView } from "./diff-view";
import { EditorPanel } from "./editor-panel";
import { FileTree } from "./file-tree";
import { HistoryPanel } from "./history-panel";
import { QuickOpen } from "./quick-open";
import { useContainer } from "./use-container";
import { useFileTree } from "./use-file-tree";
import { useOpenFiles } from "./use-open-files";
import { usePanelLayout } from "./use-panel-layout";
import { useTreeActions } from "./use-tree-actions";
import { WorkbenchBar } from "./workbench-bar";

const handle = "w-1 bg-zinc-200 hover:bg-indigo-400 focus-visible:bg-indigo-500 data-[separator=active]:bg-indigo-500 dark:bg-zinc-800";
const handleH = "h-1 bg-zinc-200 hover:bg-indigo-400 focus-visible:bg-indigo-500 dark:bg-zinc-800";

/**
 * The project workbench: chat | files | editor over logs and terminals | preview, in resizable panes. `followSession` (the
 * page's `?session=`) is a turn started before the page opened: the chat follows it from its first frame.
 */
export function Workbench({ projectId, followSession }: { projectId: string; followSession?: string }) {
  const socket = useMemo(() => new ProjectSocket(projectId), [projectId]);
  const [project, setProject] = useState<Project | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [diffOf, setDiffOf] = useState<ChatMessage | null>(null);
  const [previewReloads, setPreviewReloads] = useState(0);
  const [leftTab, setLeftTab] = useState<"files" | "history">("files");
  /** Times the socket came back after dropping (a server restart, a network blip). */
  const [reconnects, setReconnects] = useState(0);
  const chat = useRef<ChatApi | null>(null);
  const tree = useFileTree(projectId);
  const files = useOpenFiles(projectId);
  const container = useContainer(projectId);
  const actions = useTreeActions(projectId, files, tree.reload);
  const [quickOpen, setQuickOpen] = useState(false);
  const outer = usePanelLayout("workbench");
  const code = usePanelLayout("workbench-code");
  const previewErrors = usePreviewErrors(projectId, socket);

  useEffect(() => {
    api
      .get<Project>(`/projects/${projectId}`)
      .then(setProject)
      .catch((e) => setError(errorMessage(e)));
  }, [projectId]);

  useEffect(() => {
    if (followSession) {
      socket.follow(followSession);
      // Followed once: a reload resumes wherever the chat is by then, not this session.
      window.history.replaceState(window.history.state, "", window.location.pathname);
    }
    socket.connect();
    const off = socket.onFrame((f) => {
      if (f.type === "file_changed") {
        tree.refresh();
        files.onFileChanged(f.metadata.path, f.metadata.change, f.metadata.from);
        setPreviewReloads((n) => n + 1);
      } else if (f.type === "preview_ready") void container.refresh();
      else if (f.type === "status" && f.metadata.state === "container") void container.refresh();
    });
    let opened = false;
    const offState = socket.onState((s) => {
      if (s !== "open") return;
      // Back after a drop: changes made meanwhile were not announced, and the log stream and preview had failed.
      if (opened) {
        tree.refresh();
        void container.refresh();
        setPreviewReloads((n) => n + 1);
        setReconnects((n) => n + 1);
      }
      opened = true;
    });
    return () => {
      off();
      offState();
      socket.close();
    };
    // The socket lives as long as the page; handlers read the latest hooks through stable callbacks.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [socket]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === "s") {
        e.preventDefault();
        if (files.active) void files.save(files.active);
      }
    };
    // Ctrl/Cmd+P in the capture phase, before Monaco sees it and instead of the browser's print dialog.
    const onQuickOpen = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === "p") {
        e.preventDefault();
        e.stopPropagation();
        setQuickOpen(true);
      }
    };
    window.addEventListener("keydown", onKey);
    window.addEventListener("keydown", onQuickOpen, true);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("keydown", onQuickOpen, true);
    };
  }, [files]);

  const undo = useCallback(
    async (message: ChatMessage) => {
      const ok = await askConfirm({
        title: "Undo this turn?",
        message: "The files go back to how they were before it (as a new checkpoint, so nothing is lost). Later turns that changed files are undone with it.",
        confirmLabel: "Undo turn",
      });
      if (!ok) return;
      try {
        await api.post(`/projects/${projectId}/conversations/${message.id}/undo`);
        void tree.reload();
      } catch (e) {
        toastError(e, "Could not undo the turn");
      }
    },
    [projectId, tree],
  );

  const register = useCallback((a: ChatApi) => {
    chat.current = a;
  }, []);

  return (
    <div className="flex min-h-0 flex-1 flex-col" data-testid="workbench">
      <WorkbenchBar project={project} container={container} downloadHref={`/api/v1/projects/${projectId}/download`} />
      <ErrorBanner message={error ?? tree.error ?? container.error}>
        {error && (
          <Button size="sm" variant="ghost" onClick={() => setError(null)}>
            Dismiss
          </Button>
        )}
      </ErrorBanner>
      <Group orientation="horizontal" className="min-h-0 flex-1" groupRef={outer.groupRef} onLayoutChanged={outer.onLayoutChanged}>
        <Panel id="chat" defaultSize="26" minSize={260}>
          <ChatPanel
            socket={socket}
            onUndo={(m) => void undo(m)}
            onShowDiff={setDiffOf}
            register={register}
            lastModel={project?.last_model}
            autoFix={project?.auto_fix}
          />
        </Panel>
        <Separator className={handle} />
        <Panel id="files" defaultSize="14" minSize={140}>
          <div className="flex h-full min-h-0 flex-col">
            <div role="tablist" aria-label="Files or history" className="flex shrink-0 gap-1 border-b border-zinc-200 px-2 py-1 text-xs dark:border-zinc-800">
              {(["files", "history"] as const).map((t) => (
                <button
                  key={t}
                  type="button"
                  role="tab"
                  aria-selected={leftTab === t}
                  data-testid={`left-tab-${t}`}
                  onClick={() => setLeftTab(t)}
                  className={`rounded px-2 py-0.5 font-medium focus-visible:outline-2 focus-visible:outline-indigo-500 ${leftTab === t ? "bg-zinc-200 dark:bg-zinc-800" : "text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-900"}`}
                >
                  {t === "files" ? "Files" : "History"}
                </button>
              ))}
            </div>
            <div className="min-h-0 flex-1" role="tabpanel">
              {leftTab === "history" ? (
                <HistoryPanel projectId={projectId} changes={previewReloads} onRestored={() => void tree.reload()} />
              ) : tree.root ? (
                <FileTree root={tree.root} activePath={files.active} actions={actions} />
              ) : (
                <p className="p-3 text-sm text-zinc-500">Loading files…</p>
              )}
            </div>
          </div>
        </Panel>
        <Separator className={handle} />
        <Panel id="code" defaultSize="30" minSize={240}>
          <Group orientation="vertical" groupRef={code.groupRef} onLayoutChanged={code.onLayoutChanged}>
            <Panel id="editor" defaultSize="70" minSize={120}>
              <EditorPanel files={files} />
            </Panel>
            <Separator className={handleH} />
            <Panel id="logs" defaultSize="30" minSize={60}>
              <BottomPanel projectId={projectId} running={container.info?.state === "ready" || container.info?.state === "starting"} generation={reconnects} />
            </Panel>
          </Group>
        </Panel>
        <Separator className={handle} />
        <Panel id="preview" defaultSize="30" minSize={240}>
          <PreviewPanel
            projectId={projectId}
            container={container.info}
            refresh={container.refresh}
            changes={previewReloads}
            onStart={() => void container.run("restart")}
            onFixWithAi={(err) => chat.current?.send(`The preview crashed. Please find the cause and fix it.\n\n\`\`\`\n${err}\n\`\`\``)}
            errors={previewErrors.errors}
            onClearErrors={previewErrors.clear}
            onFixErrors={(prompt) => chat.current?.send(prompt)}
          />
        </Panel>
      </Group>
      <QuickOpen
        open={quickOpen}
        root={tree.root}
        onClose={() => setQuickOpen(false)}
        onPick={(path) => {
          setQuickOpen(false);
          files.open(path);
        }}
      />
      <Dialog open={diffOf !== null} onClose={() => setDiffOf(null)} title="Changes made in this turn" testId="diff-dialog">
        {diffOf?.checkpointBefore && <DiffView projectId={projectId} from={diffOf.checkpointBefore} to={diffOf.checkpointAfter} />}
        <div className="flex justify-end">
          <Button onClick={() => setDiffOf(null)}>Close</Button>
        </div>
      </Dialog>
    </div>
  );
}
