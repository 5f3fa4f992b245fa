import { signOutAction } from "@/lib/auth/actions";
import { requireCaller } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const { user } = await requireCaller();
  return (
    <main className="mx-auto max-w-3xl p-8">
      <header className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Slipway</h1>
        <form action={signOutAction}>
          <button className="rounded-md border px-3 py-1 text-sm dark:border-zinc-700">Sign out</button>
        </form>
      </header>
      <p className="mt-6" data-testid="whoami">
        Signed in as <strong>{user.name}</strong>
        {user.email ? ` (${user.email})` : ""}.
      </p>
      <p className="mt-2 text-sm text-zinc-500">
        API: <a className="underline" href="/docs">/docs</a>
      </p>
    </main>
  );
}
