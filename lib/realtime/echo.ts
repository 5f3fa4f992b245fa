import { registerSocketRoute } from "./upgrade";

// /ws/echo - a diagnostic endpoint that answers every frame with itself.
registerSocketRoute({
  pattern: /^\/ws\/echo$/,
  onConnection: (socket) => {
    socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
  },
});
