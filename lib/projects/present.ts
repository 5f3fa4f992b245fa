import type { Project } from "@/prisma-free-db/queries/projects";

/** A project as the API shows it (the owner is implied: only the owner ever sees it). */
export const toApiProject = ({ owner_id: _owner, ...rest }: Project) => rest;
