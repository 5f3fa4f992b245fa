import { z } from "zod";

/** `templates/<name>/template.json`: how a template is described, run and built. */
export const templateManifest = z.object({
  name: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  description: z.string(),
  /** Dev server command run inside the project's container (cwd = project dir). Must listen on `port` on 0.0.0.0. */
  devCommand: z.string(),
  /** Production build command; empty for templates that need no build. */
  buildCommand: z.string(),
  /** Folder with the build output (static templates: "." means the project itself). */
  outputDir: z.string(),
  /** Production start command for server-side templates; absent for static outputs. */
  startCommand: z.string().optional(),
  port: z.number().int().min(1).max(65535),
  /** Whether the template has npm dependencies (served from the per-template cache). */
  hasDependencies: z.boolean(),
  /** What the agent is told about the template (entry files, dev server, styling), in its project overview. */
  notes: z.array(z.string()).optional(),
});

export type TemplateManifest = z.infer<typeof templateManifest>;
