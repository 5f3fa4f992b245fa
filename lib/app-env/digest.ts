import { createHmac } from "node:crypto";
import { derivedKey } from "@/lib/crypto/secret-box";

/**
 * A keyed digest of a container's app variables (`KEY=value` entries), stored as a container label so a running
 * container can be compared with the saved list; keyed, because a plain hash would let anyone who can read
 * labels test guesses of short secrets.
 */
export function appEnvDigest(entries: string[]): string {
  return createHmac("sha256", derivedKey("project-env-digest")).update(entries.join("\0")).digest("hex").slice(0, 32);
}
