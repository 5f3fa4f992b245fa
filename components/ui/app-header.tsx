import Link from "next/link";
import { ThemeToggle } from "./theme-toggle";

const links = [
  { href: "/", label: "Projects" },
  { href: "/usage", label: "Usage" },
  { href: "/settings", label: "Settings" },
];

/** The bar on every signed-in page. `signOut` is a server action handed down by the page. */
export function AppHeader({
  userName,
  signOut,
  active,
  children,
}: {
  userName: string;
  signOut: () => Promise<void>;
  active?: string;
  children?: React.ReactNode;
}) {
  return (
    <header className="flex h-12 shrink-0 items-center gap-4 border-b border-zinc-200 px-4 dark:border-zinc-800">
      <Link href="/" className="font-semibold tracking-tight">
        Slipway
      </Link>
      <nav aria-label="Main" className="flex items-center gap-1 text-sm">
        {links.map((l) => (
          <Link
            key={l.href}
            href={l.href}
            aria-current={active === l.href ? "page" : undefined}
            className="rounded-md px-2 py-1 text-zinc-600 hover:bg-zinc-100 aria-[current=page]:font-medium aria-[current=page]:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:aria-[current=page]:text-white"
          >
            {l.label}
          </Link>
        ))}
        <a href="/docs" className="rounded-md px-2 py-1 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800">
          API
        </a>
      </nav>
      <div className="min-w-0 flex-1">{children}</div>
      <ThemeToggle />
      <span className="hidden text-sm text-zinc-500 sm:inline" data-testid="whoami">
        {userName}
      </span>
      <form action={signOut}>
        <button className="rounded-md border border-zinc-300 px-2 py-1 text-xs hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800">Sign out</button>
      </form>
    </header>
  );
}
