import { AUTH_PATH_PREFIX } from "./paths";
import { PREVIEW_TOKEN_TTL_S, signPreviewGrant } from "./token";
import type { ContainerState } from "@/lib/containers/service";

/** The state as the API returns it: plus a URL that signs the owner into the private preview. */
export function containerView(projectId: string, userId: string, state: ContainerState) {
  const token = signPreviewGrant(projectId, userId, PREVIEW_TOKEN_TTL_S);
  return { ...state, preview_auth_url: `${state.preview_url.replace(/\/$/, "")}${AUTH_PATH_PREFIX}?token=${encodeURIComponent(token)}` };
}
