import { execInContainer } from "@/lib/api/contracts/containers";
import { execInProject } from "@/lib/containers/service";
import { requireOwnedProject } from "@/lib/containers/view";
import { route } from "@/lib/http/route";

// POST /api/v1/projects/{project_id}/container/exec - run a command in the project's container
export const POST = route(execInContainer, async ({ req, caller, params, body }) => {
  await requireOwnedProject(params.project_id, caller.user.id);
  const result = await execInProject(params.project_id, {
    command: body.command,
    timeoutMs: body.timeout_ms,
    maxOutputBytes: body.max_output_bytes,
    signal: req.signal,
  });
  const { aborted: _aborted, ...data } = result;
  return { message: result.timed_out ? "Command timed out and was killed" : `Command exited with ${result.exit_code}`, data };
});
