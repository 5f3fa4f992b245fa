import "@/lib/realtime/echo";
import { loadTurnModule } from "@/lib/chat/socket";
import "@/lib/preview/proxy";
import "@/lib/terminal/socket";
import "@/lib/deploys/serve";

/**
 * Registers the WebSocket routes (and later host-routed handlers). Imported once by server.ts so that
 * route modules register themselves in the server's module copy.
 */

/** Loads what the routes import lazily; called once the server listens, so start-up does not wait for it. */
export async function warmLazyModules(): Promise<void> {
  await loadTurnModule();
}
