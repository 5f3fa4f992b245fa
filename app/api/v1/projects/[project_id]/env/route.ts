import { getProjectEnv, putProjectEnv } from "@/lib/api/contracts/app-env";
import { appEnvRestartRequired } from "@/lib/containers/service";
import { methods } from "@/lib/http/methods";
import { route } from "@/lib/http/route";
import { listAppEnv, replaceAppEnv } from "@/lib/app-env/service";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = methods({
  // GET /api/v1/projects/{project_id}/env - the app's variables (secrets as hints)
  GET: route(getProjectEnv, async ({ params }) => {
    const vars = await listAppEnv(params.project_id);
    return { message: `${vars.length} variable(s)`, data: { vars, restart_required: await appEnvRestartRequired(params.project_id) } };
  }),

  // PUT /api/v1/projects/{project_id}/env - replace the list; a secret without a value keeps its stored one
  PUT: route(putProjectEnv, async ({ params, body }) => {
    const vars = await replaceAppEnv(params.project_id, body.vars);
    const restartRequired = await appEnvRestartRequired(params.project_id);
    return {
      message: restartRequired ? "Saved; restart the container to apply" : `Saved ${vars.length} variable(s)`,
      data: { vars, restart_required: restartRequired },
    };
  }),
});
