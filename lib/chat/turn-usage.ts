import { randomUUID } from "node:crypto";
import type { AgentOutcome } from "@/lib/agent/run-agent";
import { costOf } from "@/lib/llm/prices";
import type { Database } from "@/prisma-free-db/client";
import { insertTokenUsage, type KeySource } from "@/prisma-free-db/queries/token-usage";

/**
 * The token usage of one turn's model calls: a row per call, written in order without holding up the stream
 * (`written()` is awaited before the turn ends), and the turn's cost so far. A call is recorded even when the turn
 * is cancelled later: the provider billed it.
 */
export function turnUsage(
  db: Database,
  row: { message_id: string; user_id: string; project_id: string; session_id: string; provider: string; key_source: KeySource; model: string },
) {
  let writes: Promise<void> = Promise.resolve();
  let costUsd = 0;
  return {
    record(step: number, model: string, usage: AgentOutcome["usage"]) {
      const modelId = model || row.model;
      const { cost_usd } = costOf(modelId, usage);
      costUsd += cost_usd;
      const usageRow = {
        ...row,
        id: randomUUID(),
        model: modelId,
        step,
        input_tokens: usage.input_tokens,
        output_tokens: usage.output_tokens,
        cached_tokens: usage.cached_tokens,
        cost_usd,
      };
      writes = writes.then(() => insertTokenUsage(db, usageRow));
    },
    written: () => writes,
    costUsd: () => Math.round(costUsd * 1e10) / 1e10,
  };
}
