import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native addons and the Docker client must load from node_modules at run time, not be bundled.
  serverExternalPackages: ["@duckdb/node-api", "dockerode", "ssh2", "cpu-features"],
  poweredByHeader: false,
  // server.ts compresses (gzip level 1) instead; see there.
  compress: false,
  // `npm run typecheck` (tsc --noEmit over the whole tree) is its own CI step; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Lets parallel builds (tests, benchmarks) use separate output folders; server.ts reads the same variable.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  typedRoutes: false,
};

export default nextConfig;
