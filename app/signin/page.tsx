import { redirect } from "next/navigation";
import { authProviders } from "@/lib/auth/auth";
import { localSignIn } from "@/lib/auth/actions";
import { currentCaller } from "@/lib/auth/session";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

const errors: Record<string, string> = {
  CredentialsSignin: "That name or password was not accepted.",
  OAuthCallbackError: "The provider did not complete the sign-in. Try again.",
  AccessDenied: "Access was denied.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  if (await currentCaller()) redirect("/");
  const { error } = await searchParams;
  const providers = authProviders();
  const passwordRequired = Boolean(env().LOCAL_AUTH_PASSWORD);
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 p-6">
      <div>
        <h1 className="text-2xl font-semibold">Sign in to Slipway</h1>
        <p className="mt-1 text-sm text-zinc-500">Build apps by chatting with an AI agent, on your own machine.</p>
      </div>
      {error && (
        <p role="alert" className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
          {errors[error] ?? "Sign-in failed. Try again."}
        </p>
      )}
      <div className="flex flex-col gap-2">
        {providers.google && (
          // A server redirect to the OAuth provider, not a page: a full navigation is what is wanted.
          // eslint-disable-next-line @next/next/no-html-link-for-pages
          <a
            className="rounded-md border px-4 py-2 text-center font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-900"
            href="/api/v1/auth/google/login"
          >
            Continue with Google
          </a>
        )}
        {providers.github && (
          // A server redirect to the OAuth provider, not a page: a full navigation is what is wanted.
          // eslint-disable-next-line @next/next/no-html-link-for-pages
          <a
            className="rounded-md border px-4 py-2 text-center font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-900"
            href="/api/v1/auth/github/login"
          >
            Continue with GitHub
          </a>
        )}
      </div>
      {providers.local && (
        <form action={localSignIn} className="flex flex-col gap-3 rounded-lg border p-4 dark:border-zinc-800" data-testid="local-signin">
          <div>
            <h2 className="font-medium">Local sign-in</h2>
            <p className="text-xs text-zinc-500">
              For single-user self-hosting: no OAuth app needed.{" "}
              {passwordRequired
                ? "This server asks for its LOCAL_AUTH_PASSWORD."
                : "Anyone who can reach this server can sign in; set LOCAL_AUTH_PASSWORD or keep it on localhost."}
            </p>
          </div>
          <label className="flex flex-col gap-1 text-sm">
            Name
            <input
              name="username"
              defaultValue="admin"
              required
              pattern="[\w.@\-]+"
              maxLength={64}
              className="rounded-md border px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900"
            />
          </label>
          {passwordRequired && (
            <label className="flex flex-col gap-1 text-sm">
              Password
              <input name="password" type="password" required className="rounded-md border px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900" />
            </label>
          )}
          <button type="submit" className="rounded-md bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500">
            Sign in locally
          </button>
        </form>
      )}
      {!providers.local && !providers.google && !providers.github && (
        <p className="text-sm">No sign-in method is configured. Set LOCAL_AUTH=on or configure Google/GitHub OAuth (see .env.example).</p>
      )}
    </main>
  );
}
