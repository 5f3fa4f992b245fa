import { parseArgs } from "node:util";

export interface EvalArgs {
  scripted: boolean;
  /** Models to compare (metadata.model of each turn); empty: the server's default model. */
  models: string[];
  /** Scenario names to run; empty: all. */
  only: string[];
  concurrency: number;
  help: boolean;
}

export const USAGE = `npm run eval -- [options]

  --scripted           run every scenario against its scripted model (no LLM provider needed; what CI runs)
  --models a,b         run every scenario with each of these models, side by side (default: the server's model)
  --only name[,name]   run only these scenarios (names as in eval/scenarios/)
  --concurrency n      scenarios at a time (default 3)
  --help               this text

The model, provider and key come from the environment or .env, as the server reads them (LLM_PROVIDER,
MODEL_NAME, OPENROUTER_API_KEY, OPENAI_API_KEY, ANTHROPIC_API_KEY, OPENAI_BASE_URL). Results go to
eval/results/<timestamp>.json.`;

const list = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export function parseEvalArgs(argv: string[]): EvalArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      scripted: { type: "boolean", default: false },
      models: { type: "string" },
      only: { type: "string", multiple: true },
      concurrency: { type: "string", default: "3" },
      help: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16) throw new Error("--concurrency must be a whole number from 1 to 16");
  const models = list(values.models);
  if (values.scripted && models.length > 0) throw new Error("--scripted runs each scenario's own script; leave out --models");
  return {
    scripted: values.scripted ?? false,
    models,
    only: (values.only ?? []).flatMap((v) => list(v)),
    concurrency,
    help: values.help ?? false,
  };
}
