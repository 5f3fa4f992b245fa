import fs from "node:fs/promises";
import { evidenceScreenshotRoute } from "@/lib/api/contracts/evidence";
import { evidenceScreenshotPath } from "@/lib/chat/evidence-files";
import { notFound } from "@/lib/errors";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/evidence/{message_id}/screenshot - the preview after that turn
  GET: route(evidenceScreenshotRoute, async ({ params, project }) => {
    const bytes = await fs.readFile(evidenceScreenshotPath(project.id, params.message_id)).catch(() => null);
    if (!bytes) throw notFound("Screenshot");
    return new Response(new Blob([bytes as Uint8Array<ArrayBuffer>]), {
      headers: {
        "content-type": "image/jpeg",
        "content-length": String(bytes.length),
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
        // A turn's screenshot never changes.
        "cache-control": "private, max-age=31536000, immutable",
      },
    });
  }),
});
