import { randomUUID } from "node:crypto";
import { createChatSession } from "@/lib/api/contracts/chat";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { requireOwnedProject } from "@/lib/auth/owned-project";
import { insertChatSession } from "@/prisma-free-db/queries/chat-sessions";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  POST: route(createChatSession, async ({ caller, body, db }) => {
    await requireOwnedProject(caller.user.id, body.project_id);
    const session = await insertChatSession(db, { id: randomUUID(), projectId: body.project_id, userId: caller.user.id, title: body.title ?? "New chat" });
    const { user_id: _userId, ...data } = session;
    return { message: "Chat session created", data, status: 201 };
  }),
});
