import { randomUUID } from "node:crypto";
import type { Browser } from "playwright-core";
import type { Scenario } from "../types";
import { runCheck, type CheckResult, type CheckTarget } from "./checks";
import { runTurn, type Completion } from "./chat-turn";
import { call, writeProjectFile, type ContainerView, type Slipway } from "./project-api";

/** One scenario run with one model. */
export interface RunResult {
  scenario: string;
  template: string;
  /** The model as the table shows it. */
  model: string;
  pass: boolean;
  /** The first check that failed, with why (null when all passed). */
  failed: string | null;
  checks: CheckResult[];
  status: Completion["status"] | null;
  stop_reason: Completion["stop_reason"] | null;
  steps: number | null;
  tokens: { input: number; output: number; total: number } | null;
  cost_usd: number | null;
  /** From sending the prompt to the turn's completion. */
  turn_ms: number;
  /** The whole run: project, seed, turn, preview, checks. */
  total_ms: number;
  files_changed: string[];
  /** Preview page loads run again because the host's network changed or the proxy answered 502-504. */
  page_retries: number;
}

export interface ScenarioRun {
  slipway: Slipway;
  browser: Browser;
  scenario: Scenario;
  /** Sent as the user_message's metadata.model; undefined uses the server's default model. */
  model: string | undefined;
  /** The model's name in the results; undefined: the model the server reports for the turn. */
  label: string | undefined;
  turnTimeoutMs: number;
  /** Projects created and not yet deleted (an interrupted run deletes them). */
  projects: Set<string>;
}

/**
 * Runs one scenario as a user would: creates a project from its template, writes its seed files, sends the prompt on
 * the chat WebSocket, waits for the completion and the preview, then runs every check. The project is deleted after.
 */
export async function runScenario(run: ScenarioRun): Promise<RunResult> {
  const { slipway, scenario } = run;
  const started = performance.now();
  const log = (what: string) => {
    if (process.env.EVAL_VERBOSE) console.log(`    ${((performance.now() - started) / 1000).toFixed(1)} s ${scenario.name}: ${what}`);
  };
  const project = await call<{ id: string }>(slipway, "POST", "/api/v1/projects", {
    template: scenario.template,
    // Unique per run: the same scenario runs side by side for each model, and project names are unique per user.
    name: `eval ${scenario.name} ${randomUUID().slice(0, 8)}`,
  });
  run.projects.add(project.id);
  try {
    for (const [file, content] of Object.entries(scenario.seed ?? {})) await writeProjectFile(slipway, project.id, file, content);
    log("prompt sent");
    const turn = await runTurn(slipway, project.id, scenario.prompt, run.model, run.turnTimeoutMs);
    const completion = turn.ok ? turn.completion : null;
    const checks: CheckResult[] = [];
    let target: CheckTarget | undefined;
    const turnCheck: CheckResult = !turn.ok
      ? { check: "turn", ok: false, detail: turn.error }
      : turn.completion.status !== "complete"
        ? { check: "turn", ok: false, detail: `${turn.completion.status} (${turn.completion.stop_reason})` }
        : { check: "turn", ok: true };
    checks.push(turnCheck);
    log(`turn: ${turnCheck.ok ? "complete" : turnCheck.detail}`);
    if (turn.ok) {
      // The preview: started if the turn did not, and answering HTTP.
      const container = await call<ContainerView>(slipway, "POST", `/api/v1/projects/${project.id}/container/start`);
      if (container.state !== "ready") checks.push({ check: "preview", ok: false, detail: `${container.state}: ${container.last_error ?? ""}`.slice(0, 300) });
      else {
        target = { slipway, projectId: project.id, browser: run.browser, browserErrors: [], retries: 0 };
        for (const check of scenario.checks) {
          checks.push(await runCheck(target, check));
          log(`${checks.at(-1)!.check}: ${checks.at(-1)!.ok ? "ok" : checks.at(-1)!.detail}`);
        }
      }
    }
    const firstFailure = checks.find((c) => !c.ok);
    return {
      scenario: scenario.name,
      template: scenario.template,
      model: run.label ?? completion?.model ?? "default",
      pass: !firstFailure,
      failed: firstFailure ? `${firstFailure.check}: ${firstFailure.detail ?? "failed"}` : null,
      checks,
      status: completion?.status ?? null,
      stop_reason: completion?.stop_reason ?? null,
      steps: completion?.steps ?? null,
      tokens: completion ? { input: completion.usage.input_tokens, output: completion.usage.output_tokens, total: completion.usage.total_tokens } : null,
      cost_usd: completion?.cost_usd ?? null,
      turn_ms: turn.ms,
      total_ms: Math.round(performance.now() - started),
      files_changed: completion?.files_changed ?? [],
      page_retries: target?.retries ?? 0,
    };
  } finally {
    await call(slipway, "DELETE", `/api/v1/projects/${project.id}`, undefined, 60_000).catch(() => undefined);
    run.projects.delete(project.id);
  }
}
