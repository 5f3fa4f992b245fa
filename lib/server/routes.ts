import "@/lib/realtime/echo";
import "@/lib/chat/socket";
import "@/lib/preview/proxy";
import "@/lib/deploys/serve";

/**
 * Registers the WebSocket routes (and later host-routed handlers). Imported once by server.ts so that
 * route modules register themselves in the server's module copy.
 */
export {};
