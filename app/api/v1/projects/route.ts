import { createProjectRoute, listProjectsRoute } from "@/lib/api/contracts/projects";
import { paginationMeta } from "@/lib/api/schemas";
import { route } from "@/lib/http/route";
import { toApiProject } from "@/lib/projects/present";
import { startProject } from "@/lib/projects/start-project";
import { getDb } from "@/prisma-free-db/client";
import { listProjects } from "@/prisma-free-db/queries/projects";

export const dynamic = "force-dynamic";

// GET /api/v1/projects - the caller's projects, newest first
export const GET = route(listProjectsRoute, async ({ caller, query }) => {
  const { items, total } = await listProjects(await getDb(), { ownerId: caller.user.id, limit: query.limit, offset: query.offset });
  return { message: "Projects", data: items.map(toApiProject), metadata: paginationMeta(total, query.limit, query.offset) };
});

// POST /api/v1/projects - create a project (container started in the background); with a prompt, its first turn starts
export const POST = route(createProjectRoute, async ({ caller, body }) => {
  const { project, sessionId } = await startProject({
    ownerId: caller.user.id,
    name: body.name,
    template: body.template,
    description: body.description,
    prompt: body.prompt,
    model: body.model,
    startContainer: body.start_container,
  });
  return { message: sessionId ? "Project created; its first turn is running" : "Project created", data: { ...toApiProject(project), session_id: sessionId }, status: 201 };
});
