import { signOutAction } from "@/lib/auth/actions";
import { requireCaller } from "@/lib/auth/session";
import { Workbench } from "@/components/ide/workbench";
import { AppHeader } from "@/components/ui/app-header";

export const dynamic = "force-dynamic";
export const metadata = { title: "Workbench · Slipway" };

export default async function ProjectPage({
  params,
  searchParams,
}: {
  params: Promise<{ project_id: string }>;
  searchParams: Promise<{ session?: string | string[] }>;
}) {
  const { user } = await requireCaller();
  const { project_id } = await params;
  const { session } = await searchParams;
  // ?session=<id>: a turn started with the project (POST /api/v1/projects with a prompt) that the chat follows.
  const followSession = typeof session === "string" && /^[0-9a-f-]{36}$/i.test(session) ? session : undefined;
  return (
    <div className="flex h-screen flex-col">
      <AppHeader userName={user.name} signOut={signOutAction} />
      <Workbench projectId={project_id} followSession={followSession} />
    </div>
  );
}
