import { ApiError } from "@/lib/errors";
import type * as Turn from "./turn";
import { singleton } from "@/lib/shared/singleton";

type TurnModule = typeof Turn;

// One per process: the sockets (server.ts) and the route bundles load separate copies of the chat modules. A turn
// that a REST route starts runs in the server's copy, next to the socket turns (one start pacing, one agent load).
const registry = () => singleton("turnModule", () => ({ load: undefined as (() => Promise<TurnModule>) | undefined }));

/** Registers the server's loader of the turn module (lib/chat/socket.ts, imported by server.ts). */
export function provideTurnModule(load: () => Promise<TurnModule>): void {
  registry().load ??= load;
}

/** The turn module of the server process; 503 when the process runs without Slipway's server.ts. */
export function serverTurnModule(): Promise<TurnModule> {
  const { load } = registry();
  if (!load) throw new ApiError("unavailable", "The chat runtime is not running in this process: start Slipway with `npm start` (server.ts).");
  return load();
}
