import { getDb } from "@/prisma-free-db/client";
import { getDeploymentEnv, listProjectEnv, putDeploymentEnv, replaceProjectEnv, type ProjectEnvRow } from "@/prisma-free-db/queries/project-env";
import { open, seal } from "@/lib/crypto/secret-box";
import { ApiError } from "@/lib/errors";
import { singleton } from "@/lib/shared/singleton";

/** One variable as the API shows it: a secret's value never leaves the server, only its hint. */
export interface AppEnvView {
  key: string;
  secret: boolean;
  value: string | null;
  hint: string | null;
}

export interface AppEnvInput {
  key: string;
  value?: string;
  secret: boolean;
}

const PURPOSE = "project-env";
const DEPLOYMENT_PURPOSE = "deployment-env";
const sealContext = (projectId: string, key: string) => `${projectId}:${key}`;

/** The length, plus the last 2 characters when the value is long enough that they give little away. */
export function secretHint(value: string): string {
  const length = [...value].length;
  return length >= 8 ? `…${value.slice(-2)} (${length} characters)` : `${length} characters`;
}

const view = (r: ProjectEnvRow): AppEnvView => ({ key: r.key, secret: r.secret, value: r.secret ? null : r.value, hint: r.secret ? r.hint : null });

export async function listAppEnv(projectId: string): Promise<AppEnvView[]> {
  return (await listProjectEnv(await getDb(), { projectId })).map(view);
}

/** Replaces the project's list; a secret sent without a value keeps the value stored under the same key. */
export async function replaceAppEnv(projectId: string, vars: AppEnvInput[]): Promise<AppEnvView[]> {
  const db = await getDb();
  const stored = new Map((await listProjectEnv(db, { projectId })).map((r) => [r.key, r]));
  const rows = vars.map((v, i) => {
    const value = v.value ?? storedValue(projectId, stored.get(v.key));
    if (value === undefined) {
      throw new ApiError("bad_request", "Validation failed", {
        fields: [{ path: `body.vars.${i}.value`, message: "required: no value is stored for this key" }],
      });
    }
    return v.secret
      ? {
          key: v.key,
          secret: true,
          value: null,
          value_sealed: seal(value, { purpose: PURPOSE, context: sealContext(projectId, v.key) }),
          hint: secretHint(value),
        }
      : { key: v.key, secret: false, value, value_sealed: null, hint: null };
  });
  await db.transaction((tx) => replaceProjectEnv(tx, { projectId, rows }));
  namesCache().delete(projectId);
  return rows.map((r) => view({ ...r, project_id: projectId, position: 0, updated_at: "" }));
}

function storedValue(projectId: string, row: ProjectEnvRow | undefined): string | undefined {
  if (!row) return undefined;
  if (!row.secret) return row.value ?? undefined;
  return row.value_sealed ? open(row.value_sealed, { purpose: PURPOSE, context: sealContext(projectId, row.key) }) : undefined;
}

/** `KEY=value` entries for a container's Env, secrets opened. */
export async function appEnvEntries(projectId: string): Promise<string[]> {
  const rows = await listProjectEnv(await getDb(), { projectId });
  return rows.map((r) => `${r.key}=${storedValue(projectId, r) ?? ""}`);
}

/** The secret values by name (to keep them out of what the agent sees). */
export async function appSecretValues(projectId: string): Promise<{ key: string; value: string }[]> {
  const rows = await listProjectEnv(await getDb(), { projectId });
  return rows.filter((r) => r.secret).map((r) => ({ key: r.key, value: storedValue(projectId, r) ?? "" }));
}

/** The names only: what the agent may be told. */
// The names are read on every turn's way to its first LLM request: kept per project in memory (shared by the
// server's and the route bundles' module copies) and dropped whenever the project's list is saved.
const namesCache = () => singleton("appEnvNames", () => new Map<string, Promise<string[]>>());

export function appEnvNames(projectId: string): Promise<string[]> {
  let names = namesCache().get(projectId);
  if (!names) {
    names = getDb().then(async (db) => (await listProjectEnv(db, { projectId })).map((r) => r.key));
    names.catch(() => namesCache().delete(projectId));
    namesCache().set(projectId, names);
  }
  return names;
}

/** Records the entries a deployment is built with, so its server starts with the same ones later. */
export async function snapshotDeploymentEnv(deploymentId: string, entries: string[]): Promise<void> {
  const envSealed = seal(JSON.stringify(entries), { purpose: DEPLOYMENT_PURPOSE, context: deploymentId });
  await putDeploymentEnv(await getDb(), { deploymentId, envSealed });
}

/** The entries recorded for a deployment (none for one made without variables). */
export async function deploymentEnvEntries(deploymentId: string): Promise<string[]> {
  const sealed = await getDeploymentEnv(await getDb(), { deploymentId });
  return sealed ? (JSON.parse(open(sealed, { purpose: DEPLOYMENT_PURPOSE, context: deploymentId })) as string[]) : [];
}
