import { signOutAction } from "@/lib/auth/actions";
import { requireCaller } from "@/lib/auth/session";
import { Dashboard } from "@/components/projects/dashboard";
import { AppHeader } from "@/components/ui/app-header";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const { user } = await requireCaller();
  return (
    <>
      <AppHeader userName={user.name} signOut={signOutAction} active="/" />
      <Dashboard />
    </>
  );
}
