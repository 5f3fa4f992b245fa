import { signOutAction } from "@/lib/auth/actions";
import { requireCaller } from "@/lib/auth/session";
import { Workbench } from "@/components/ide/workbench";
import { AppHeader } from "@/components/ui/app-header";

export const dynamic = "force-dynamic";
export const metadata = { title: "Workbench · Slipway" };

export default async function ProjectPage({ params }: { params: Promise<{ project_id: string }> }) {
  const { user } = await requireCaller();
  const { project_id } = await params;
  return (
    <div className="flex h-screen flex-col">
      <AppHeader userName={user.name} signOut={signOutAction} />
      <Workbench projectId={project_id} />
    </div>
  );
}
