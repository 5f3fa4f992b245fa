import { deleteProjectRoute, getProjectRoute, updateProjectRoute } from "@/lib/api/contracts/projects";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { toApiProject } from "@/lib/projects/present";
import { deleteProject, updateProject } from "@/lib/projects/service";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id} - one project
  GET: route(getProjectRoute, async ({ project }) => ({
    message: "Project",
    data: toApiProject(project),
  })),

  // PATCH /api/v1/projects/{project_id} - rename / re-describe
  PATCH: route(updateProjectRoute, async ({ project, body }) => ({
    message: "Project updated",
    data: toApiProject(await updateProject(project, body)),
  })),

  // DELETE /api/v1/projects/{project_id} - delete everything of the project
  DELETE: route(deleteProjectRoute, async ({ project }) => ({
    message: "Project deleted",
    data: toApiProject(await deleteProject(project)),
  })),
});
