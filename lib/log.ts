type Level = "debug" | "info" | "warn" | "error";
const order: Record<Level | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type Logger = {
  [L in Level]: (msg: string, fields?: Record<string, unknown>) => void;
} & { child: (fields: Record<string, unknown>) => Logger };

function threshold(): number {
  const configured = (process.env.LOG_LEVEL ?? "info") as keyof typeof order;
  return order[configured] ?? order.info;
}

function serializeError(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

function make(bound: Record<string, unknown>): Logger {
  const write =
    (level: Level) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (order[level] < threshold()) return;
      const entry: Record<string, unknown> = { time: new Date().toISOString(), level, msg, ...bound };
      for (const [k, v] of Object.entries(fields)) entry[k] = serializeError(v);
      (level === "error" || level === "warn" ? process.stderr : process.stdout).write(JSON.stringify(entry) + "\n");
    };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    child: (fields) => make({ ...bound, ...fields }),
  };
}

/** The one structured JSON logger; use `log.child({ module })` per module. */
export const log = make({});
