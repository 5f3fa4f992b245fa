import { z } from "zod";
import { defineRoute, type RouteContract } from "@/lib/api/contract";
import { uuid } from "../schemas";

export const evidenceScreenshotRoute = defineRoute({
  method: "GET",
  path: "/api/v1/projects/{project_id}/evidence/{message_id}/screenshot",
  summary:
    "The screenshot of the preview taken after an agent turn that changed files (its completion's evidence.screenshot_url): a 1024x640 JPEG. 404 for another user's project or a turn without one",
  tag: "Conversations",
  auth: "user",
  params: z.object({ project_id: uuid, message_id: uuid }),
  produces: "image/jpeg",
});

export const evidenceContracts: RouteContract[] = [evidenceScreenshotRoute];
