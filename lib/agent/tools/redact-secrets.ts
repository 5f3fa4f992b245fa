import type { ToolSet } from "ai";
import { appSecretValues } from "@/lib/app-env/service";
import { modelImagesOf, withModelImages } from "../model-images";

/** Shorter values are left alone: replacing every "1" or "ab" would mangle output without protecting anything. */
const MIN_REDACTED_LENGTH = 6;

function redact(value: unknown, secrets: { key: string; value: string }[]): unknown {
  if (typeof value === "string") return secrets.reduce((text, s) => text.split(s.value).join(`[secret ${s.key}]`), value);
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, secrets)]));
  return value;
}

/**
 * The app's secret values reach its container (a command can print them), never the model: every tool's
 * output has them replaced by `[secret NAME]` before the agent, the chat frames or the stored turn see it.
 */
export function withSecretsRedacted<T extends ToolSet>(projectId: string, tools: T): T {
  let secrets: Promise<{ key: string; value: string }[]> | undefined;
  const load = () =>
    (secrets ??= appSecretValues(projectId).then((all) =>
      all.filter((s) => s.value.length >= MIN_REDACTED_LENGTH).sort((a, b) => b.value.length - a.value.length),
    ));
  return Object.fromEntries(
    Object.entries(tools).map(([name, t]) => {
      const execute = t.execute;
      if (!execute) return [name, t];
      const run = async (input: unknown, options: unknown) => {
        const output: unknown = await execute(input as never, options as never);
        const redacted = redact(output, await load());
        // The images a result carries for the model (check_preview's screenshot) stay with the redacted copy.
        return redacted && typeof redacted === "object" ? withModelImages(redacted, modelImagesOf(output)) : redacted;
      };
      return [name, { ...t, execute: run }];
    }),
  ) as T;
}
