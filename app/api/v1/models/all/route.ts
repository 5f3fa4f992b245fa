import { listAllModels } from "@/lib/api/contracts/chat";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { listModels } from "@/lib/llm/models";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  GET: route(listAllModels, async ({ caller }) => {
    const { models, provider, default_model, live } = await listModels(caller.user.id);
    return { message: "Models", data: models, metadata: { provider, default_model, live_list: live } };
  }),
});
