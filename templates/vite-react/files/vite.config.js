import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Runs inside the project's container behind Slipway's preview proxy: listen on every interface
// and accept the preview host name (<slug>.preview.localhost or the configured domain).
export default defineConfig({
  plugins: [react(), tailwindcss()],
  server: { host: "0.0.0.0", port: 3000, strictPort: true, allowedHosts: true },
  preview: { host: "0.0.0.0", port: 3000, allowedHosts: true },
});
