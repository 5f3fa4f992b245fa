import { signOutAction } from "@/lib/auth/actions";
import { requireCaller } from "@/lib/auth/session";
import { ApiKeysSection } from "@/components/settings/api-keys-section";
import { DefaultModelSection } from "@/components/settings/default-model-section";
import { IntegrationsSection } from "@/components/settings/integrations-section";
import { ModelsKeysSection } from "@/components/settings/models-keys-section";
import { AppHeader } from "@/components/ui/app-header";

export const dynamic = "force-dynamic";
export const metadata = { title: "Settings · Slipway" };

export default async function SettingsPage() {
  const { user } = await requireCaller();
  return (
    <>
      <AppHeader userName={user.name} signOut={signOutAction} active="/settings" />
      <main className="mx-auto flex w-full max-w-3xl flex-col gap-10 p-6" data-testid="settings">
        <h1 className="text-2xl font-semibold">Settings</h1>
        <ApiKeysSection />
        <ModelsKeysSection />
        <DefaultModelSection />
        <IntegrationsSection />
      </main>
    </>
  );
}
