"use client";

import { memo } from "react";
import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

const plugins = [remarkGfm];

/** Splits at blank lines outside code fences, so a streaming answer re-parses only its last block. */
export function splitBlocks(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let fence = false;
  for (const line of text.split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    if (!fence && line.trim() === "" && current.length) {
      out.push(current.join("\n"));
      current = [];
    } else current.push(line);
  }
  if (current.length) out.push(current.join("\n"));
  return out;
}

const Block = memo(function Block({ text }: { text: string }) {
  return <ReactMarkdown remarkPlugins={plugins}>{text}</ReactMarkdown>;
});

export function Markdown({ text }: { text: string }) {
  return (
    <div className="prose-chat text-sm leading-relaxed break-words">
      {splitBlocks(text).map((b, i) => (
        <Block key={i} text={b} />
      ))}
    </div>
  );
}
