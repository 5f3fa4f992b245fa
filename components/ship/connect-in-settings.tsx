import Link from "next/link";
import type { Integration } from "@/lib/client/api-types";

/** Shown instead of a provider's actions when its account is not connected (or its token stopped working). */
export function ConnectInSettings({ label, integration }: { label: string; integration: Integration | undefined }) {
  const reconnect = integration?.status === "reconnect_required";
  return (
    <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid={`${label.toLowerCase()}-not-connected`}>
      {reconnect ? `${label} no longer accepts the stored token (${integration.account_login}). ` : `${label} is not connected. `}
      <Link href="/settings" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400" data-testid={`${label.toLowerCase()}-settings-link`}>
        {reconnect ? "Reconnect" : "Connect"} {label} in Settings
      </Link>
    </p>
  );
}
