import { createProjectRoute, listProjectsRoute } from "@/lib/api/contracts/projects";
import { paginationMeta } from "@/lib/api/schemas";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { createdProject, toApiProject } from "@/lib/projects/present";
import { startProject } from "@/lib/projects/start-project";
import { listProjects } from "@/prisma-free-db/queries/projects";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects - the caller's projects, newest first
  GET: route(listProjectsRoute, async ({ caller, query, db }) => {
    const { items, total } = await listProjects(db, { ownerId: caller.user.id, limit: query.limit, offset: query.offset });
    return { message: "Projects", data: items.map(toApiProject), metadata: paginationMeta(total, query.limit, query.offset) };
  }),

  // POST /api/v1/projects - create a project (container started in the background); with a prompt, its first turn starts
  POST: route(createProjectRoute, async ({ caller, body }) => createdProject(await startProject({ ownerId: caller.user.id, ...body }))),
});
