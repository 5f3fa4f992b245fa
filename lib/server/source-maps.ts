/**
 * Imported first by server.ts. tsx turns Node's source-map support on, and then Node reads and keeps the map of every
 * module that names one: Next's compiled server ships tens of megabytes of them. In production that cost ~0.6 s of
 * start-up and ~80 MB of memory (bench/README.md), and `next start` runs without them too, so production stack
 * traces point into the compiled code unless the operator asks for maps with `--enable-source-maps` (for example
 * NODE_OPTIONS=--enable-source-maps). Development keeps them.
 */
const asked = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? "").split(/\s+/)].includes("--enable-source-maps");
if (process.env.NODE_ENV === "production" && !asked) process.setSourceMapsEnabled(false);
