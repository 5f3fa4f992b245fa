import { execInContainer } from "@/lib/api/contracts/containers";
import { execInProject } from "@/lib/containers/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // POST /api/v1/projects/{project_id}/container/exec - run a command in the project's container
  POST: route(execInContainer, async ({ req, params, body }) => {
    const result = await execInProject(params.project_id, {
      command: body.command,
      timeoutMs: body.timeout_ms,
      maxOutputBytes: body.max_output_bytes,
      signal: req.signal,
    });
    const { aborted: _aborted, ...data } = result;
    return { message: result.timed_out ? "Command timed out and was killed" : `Command exited with ${result.exit_code}`, data };
  }),
});
