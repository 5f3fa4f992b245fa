import { signOutAction } from "@/lib/auth/actions";
import { requireCaller } from "@/lib/auth/session";
import { AppHeader } from "@/components/ui/app-header";
import { UsageDashboard } from "@/components/usage/usage-dashboard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Usage · Slipway" };

export default async function UsagePage() {
  const { user } = await requireCaller();
  return (
    <>
      <AppHeader userName={user.name} signOut={signOutAction} active="/usage" />
      <UsageDashboard />
    </>
  );
}
