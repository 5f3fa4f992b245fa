"use client";

import Editor, { DiffEditor, loader, type DiffOnMount, type OnMount } from "@monaco-editor/react";
import { useEffect, useLayoutEffect, useRef } from "react";
import { languageOf } from "@/lib/shared/file-tree";
import { useIsDark } from "../ui/theme-toggle";
import { defineSlipwayThemes, monacoTheme } from "./monaco-themes";

// Monaco's files come from this server (app/monaco), never from a CDN; this module itself is loaded
// only when the editor is first shown (next/dynamic in editor-panel.tsx).
loader.config({ paths: { vs: "/monaco/vs" } });

const options = { minimap: { enabled: false }, fontSize: 13, scrollBeyondLastLine: false, automaticLayout: true, tabSize: 2 } as const;

export default function CodeEditor({ path, value, onChange, onSave }: { path: string; value: string; onChange: (v: string) => void; onSave: () => void }) {
  const dark = useIsDark();
  const saveRef = useRef(onSave);
  const valueRef = useRef(value);
  const editorRef = useRef<Parameters<OnMount>[0] | null>(null);
  useEffect(() => {
    saveRef.current = onSave;
    valueRef.current = value;
  }, [onSave, value]);
  // Monaco keeps a text model per path after its tab closes: a file opened again must show what was just read,
  // not the edits discarded when it was closed.
  const showRead = (editor: Parameters<OnMount>[0]) => {
    if (editor.getValue() !== valueRef.current) editor.setValue(valueRef.current);
  };
  useEffect(() => {
    if (editorRef.current) showRead(editorRef.current);
  }, [path]);
  const onMount: OnMount = (editor, monaco) => {
    editorRef.current = editor;
    showRead(editor);
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => saveRef.current());
  };
  return (
    <div className="h-full" data-testid="monaco-editor">
      <Editor
        path={path}
        value={value}
        language={languageOf(path)}
        theme={monacoTheme(dark)}
        beforeMount={defineSlipwayThemes}
        onChange={(v) => onChange(v ?? "")}
        onMount={onMount}
        options={options}
        loading={<p className="p-3 text-sm text-zinc-500">Loading editor…</p>}
      />
    </div>
  );
}

/**
 * Side by side: what the server has now (left) and the unsaved edits (right).
 *
 * @monaco-editor/react 4.7 disposes the two text models before the diff widget on unmount, which Monaco
 * (≥ 0.52) reports as an uncaught "TextModel got disposed before DiffEditorWidget model got reset". So the
 * library keeps the models and we release them ourselves in the right order: detach, then dispose. A
 * layout-effect cleanup runs before the library's passive cleanup, while the widget is still alive.
 */
export function ConflictDiff({ path, theirs, mine }: { path: string; theirs: string; mine: string }) {
  const dark = useIsDark();
  const editorRef = useRef<Parameters<DiffOnMount>[0] | null>(null);
  useLayoutEffect(
    () => () => {
      const editor = editorRef.current;
      if (!editor) return;
      const model = editor.getModel();
      editor.setModel(null);
      model?.original.dispose();
      model?.modified.dispose();
    },
    [],
  );
  return (
    <DiffEditor
      original={theirs}
      modified={mine}
      language={languageOf(path)}
      theme={monacoTheme(dark)}
      beforeMount={defineSlipwayThemes}
      options={{ ...options, readOnly: true, renderSideBySide: true }}
      keepCurrentOriginalModel
      keepCurrentModifiedModel
      onMount={(editor) => {
        editorRef.current = editor;
      }}
    />
  );
}
