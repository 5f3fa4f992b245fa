import { env } from "@/lib/env";
import { registerSocketRoute } from "./upgrade";

// /ws/echo - a diagnostic endpoint that answers every frame with itself; only with ECHO_SOCKET=on.
if (env().ECHO_SOCKET === "on") {
  registerSocketRoute({
    pattern: /^\/ws\/echo$/,
    onConnection: (socket) => {
      socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
    },
  });
}
