import { ApiError } from "@/lib/errors";
import { failure, type ToolFailure } from "../context";

/**
 * A tool failure the model may see: ApiError messages are written for users; anything else is reduced to its
 * error code so host paths and internals never reach the model.
 */
export function toolFailure(error: unknown): ToolFailure {
  if (error instanceof ApiError) return failure(error.message);
  const code = (error as { code?: unknown })?.code;
  return failure(typeof code === "string" ? `The operation failed (${code}).` : "The operation failed.");
}

/** Runs `work`, turning any thrown error into a `{ error }` result. */
export async function attempt<T>(work: () => Promise<T>): Promise<T | ToolFailure> {
  try {
    return await work();
  } catch (error) {
    return toolFailure(error);
  }
}
