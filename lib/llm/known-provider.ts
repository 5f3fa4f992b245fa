import { ApiError } from "@/lib/errors";
import { isUserProvider, USER_PROVIDERS, type UserProviderName } from "./user-providers";

/** The path's provider name, or a 404 naming the known ones. */
export function knownProvider(name: string): UserProviderName {
  if (!isUserProvider(name)) throw new ApiError("not_found", `Unknown provider "${name.slice(0, 40)}": use one of ${USER_PROVIDERS.join(", ")}`);
  return name;
}
