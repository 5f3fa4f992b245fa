import type { ScriptReply } from "../tests/fixtures/scripted-llm/server";

/** The templates a scenario can start from (templates/<name>). */
export type TemplateName = "static" | "vite-react";

/** One step done in the preview page before its text is read. Selectors are Playwright's (`text=…`, `role=…`, CSS). */
export type PageAction =
  | { click: string }
  | { fill: string; value: string }
  | { press: string; key: string }
  /** Loads the page again (state kept in localStorage must survive it). */
  | { reload: true };

/** What must hold after the agent's turn. Each check has a short name the results table shows when it fails. */
export type Check =
  | { kind: "file_exists"; path: string }
  | { kind: "file_contains"; path: string; text: string }
  | { kind: "file_matches"; path: string; pattern: RegExp }
  /** Loads the preview page in headless Chromium, does `actions`, then expects every `text` to be visible (and the title). */
  | { kind: "page_text"; path?: string; actions?: PageAction[]; text: Array<string | RegExp>; title?: string | RegExp }
  /** Loads the page: no uncaught error, unhandled rejection or console.error in Chromium, and none in the preview's error list. */
  | { kind: "no_runtime_errors"; path?: string }
  /** Runs in the project's container (in /app); must exit 0, and print `output` when given. */
  | { kind: "command"; command: string; output?: string | RegExp; timeout_ms?: number };

export interface Scenario {
  /** Unique, kebab-case; the file name under eval/scenarios/ and what `--only` matches. */
  name: string;
  template: TemplateName;
  /** Files written into the project before the prompt (e.g. a broken script to fix). */
  seed?: Record<string, string>;
  /** What the user types in the chat. */
  prompt: string;
  checks: Check[];
  /**
   * For `--scripted`: the replies a correct agent gives, one per LLM request of the turn (tool calls such as
   * write_file/edit_file with their arguments, then a closing text).
   */
  script: ScriptReply[];
}

/** Declares a scenario (typed; no behaviour). */
export const scenario = (s: Scenario): Scenario => s;
