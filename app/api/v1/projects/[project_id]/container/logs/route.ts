import { containerLogs } from "@/lib/api/contracts/containers";
import { readContainerLogs, streamContainerLogs } from "@/lib/containers/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

const headers = { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", "x-content-type-options": "nosniff" };

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/container/logs - last lines, or follow as a text stream
  GET: route(containerLogs, async ({ req, params, query }) => {
    if (query.follow) {
      const stream = await streamContainerLogs(params.project_id, { tail: query.tail, signal: req.signal });
      return new Response(stream, { status: 200, headers });
    }
    return { message: "Container logs", data: { logs: await readContainerLogs(params.project_id, { tail: query.tail }) } };
  }),
});
