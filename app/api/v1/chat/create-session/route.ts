import { randomUUID } from "node:crypto";
import { createChatSession } from "@/lib/api/contracts/chat";
import { notFound } from "@/lib/errors";
import { route } from "@/lib/http/route";
import { insertChatSession } from "@/prisma-free-db/queries/chat-sessions";
import { getOwnedProject } from "@/prisma-free-db/queries/projects";

export const POST = route(createChatSession, async ({ caller, body, db }) => {
  if (!(await getOwnedProject(db, { id: body.project_id, ownerId: caller.user.id }))) throw notFound("Project");
  const session = await insertChatSession(db, { id: randomUUID(), projectId: body.project_id, userId: caller.user.id, title: body.title ?? "New chat" });
  const { user_id: _userId, ...data } = session;
  return { message: "Chat session created", data, status: 201 };
});
