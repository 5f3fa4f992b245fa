import type { Project } from "@/prisma-free-db/queries/projects";

/** A project as the API shows it (the owner is implied: only the owner ever sees it). */
export const toApiProject = ({ owner_id: _owner, ...rest }: Project) => rest;

/** The answer of a project creation (POST /api/v1/projects and its multipart twin /projects/from-prompt). */
export const createdProject = ({ project, sessionId }: { project: Project; sessionId: string | null }) => ({
  message: sessionId ? "Project created; its first turn is running" : "Project created",
  data: { ...toApiProject(project), session_id: sessionId },
  status: 201,
});
