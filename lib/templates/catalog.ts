import fs from "node:fs";
import path from "node:path";

import { templateManifest, type TemplateManifest } from "./manifest";

export { templateManifest, type TemplateManifest };

export const templatesDir = () => path.join(/*turbopackIgnore: true*/ process.cwd(), "templates");

let cache: Map<string, TemplateManifest> | undefined;

/** Every template in templates/, read and validated once. */
export function listTemplates(): TemplateManifest[] {
  if (!cache) {
    cache = new Map();
    for (const entry of fs.readdirSync(templatesDir(), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const file = path.join(templatesDir(), entry.name, "template.json");
      if (!fs.existsSync(file)) continue;
      const manifest = templateManifest.parse(JSON.parse(fs.readFileSync(file, "utf8")));
      cache.set(manifest.name, manifest);
    }
  }
  return [...cache.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function getTemplate(name: string): TemplateManifest | undefined {
  listTemplates();
  return cache!.get(name);
}

/** The folder holding a template's files (template.json itself is not copied into projects). */
export const templateFilesDir = (name: string) => path.join(templatesDir(), name, "files");
