import type { RouteContract } from "@/lib/api/contract";
import { apiKeyContracts } from "./api-keys";
import { appEnvContracts } from "./app-env";
import { attachmentsContracts } from "./attachments";
import { authContracts } from "./auth";
import { chatContracts } from "./chat";
import { containersContracts } from "./containers";
import { deploymentsContracts } from "./deployments";
import { evidenceContracts } from "./evidence";
import { filesContracts } from "./files";
import { projectsContracts } from "./projects";
import { providersContracts } from "./providers";
import { systemContracts } from "./system";
import { usageContracts } from "./usage";

/** Every route's contract; the OpenAPI document and the route-coverage test read this list. */
export const allContracts: RouteContract[] = [
  ...systemContracts,
  ...authContracts,
  ...apiKeyContracts,
  ...projectsContracts,
  ...filesContracts,
  ...containersContracts,
  ...appEnvContracts,
  ...chatContracts,
  ...attachmentsContracts,
  ...evidenceContracts,
  ...providersContracts,
  ...usageContracts,
  ...deploymentsContracts,
];
