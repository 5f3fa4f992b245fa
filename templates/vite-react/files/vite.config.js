import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Runs inside the project's container behind Slipway's preview proxy: listen on every interface
// and accept the preview host name (<slug>.preview.localhost or the configured domain).
export default defineConfig({
  plugins: [react(), tailwindcss()],
  // warmup: the entry and what it imports are transformed while the server starts, not on the first page load.
  server: { host: "0.0.0.0", port: 3000, strictPort: true, allowedHosts: true, warmup: { clientFiles: ["./src/main.jsx"] } },
  preview: { host: "0.0.0.0", port: 3000, allowedHosts: true },
});
