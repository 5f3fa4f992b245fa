import type { z } from "zod";
import type { listApiKeys } from "@/lib/api/contracts/api-keys";
import type { listAllModels } from "@/lib/api/contracts/chat";
import type { getContainer, execInContainer, listPreviewErrors } from "@/lib/api/contracts/containers";
import type { getGithubLink, listDeploymentsRoute, listIntegrations, listVercelDeployments, pullGithub, pushGithub } from "@/lib/api/contracts/deployments";
import type { readFileRoute, treeRoute, writeFileRoute } from "@/lib/api/contracts/files";
import type {
  conversationsRoute,
  createProjectRoute,
  getProjectRoute,
  historyRoute,
  listSessionsRoute,
  listTemplatesRoute,
  restoreRoute,
} from "@/lib/api/contracts/projects";
import type { listMyProviders, testMyProvider } from "@/lib/api/contracts/providers";
import type { health, me } from "@/lib/api/contracts/system";
import type { usageStats } from "@/lib/api/contracts/usage";

/**
 * Response types the browser reads, derived from the route contracts (type-only imports: nothing of
 * the server reaches the bundle, and a contract change that breaks the UI fails the type check).
 */
type DataOf<C> = C extends { response?: infer R } ? (R extends z.ZodType ? z.output<R> : never) : never;
type One<T> = T extends Array<infer U> ? U : T;

export type User = DataOf<typeof me>;
export type Health = DataOf<typeof health>;
export type ApiKey = One<DataOf<typeof listApiKeys>>;
export type Project = DataOf<typeof getProjectRoute>;
export type CreatedProject = DataOf<typeof createProjectRoute>;
export type Template = One<DataOf<typeof listTemplatesRoute>>;
export type ModelInfo = One<DataOf<typeof listAllModels>>;
export type ProviderInfo = One<DataOf<typeof listMyProviders>>;
export type ProviderTest = DataOf<typeof testMyProvider>;
export type ContainerInfo = DataOf<typeof getContainer>;
export type ContainerState = ContainerInfo["state"];
export type ExecResult = DataOf<typeof execInContainer>;
export type FileEntry = One<DataOf<typeof treeRoute>>;
export type FileContent = DataOf<typeof readFileRoute>;
export type FileWritten = DataOf<typeof writeFileRoute>;
export type PreviewError = DataOf<typeof listPreviewErrors>["errors"][number];
export type StoredMessage = One<DataOf<typeof conversationsRoute>>;
export type HistoryEntry = One<DataOf<typeof historyRoute>>;
export type RestoreResult = DataOf<typeof restoreRoute>;
export type ChatSessionSummary = One<DataOf<typeof listSessionsRoute>>;
export type UsageStats = DataOf<typeof usageStats>;
export type Integration = One<DataOf<typeof listIntegrations>>;
export type Deployment = One<DataOf<typeof listDeploymentsRoute>>;
export type DeploymentState = Deployment["state"];
export type GithubLink = DataOf<typeof getGithubLink>;
export type GithubPushResult = DataOf<typeof pushGithub>;
export type GithubPullResult = DataOf<typeof pullGithub>;
export type VercelDeployment = One<DataOf<typeof listVercelDeployments>>;
