import { allContracts } from "@/lib/api/contracts";

export const metadata = { title: "Slipway API" };

const methodColor: Record<string, string> = {
  GET: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-200",
  POST: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200",
  PUT: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-200",
  PATCH: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-200",
  DELETE: "bg-rose-100 text-rose-800 dark:bg-rose-950 dark:text-rose-200",
};

// A readable index of the API, generated from the same contracts as /api/v1/openapi.json.
export default function DocsPage() {
  const tags = [...new Set(allContracts.map((c) => c.tag))];
  return (
    <main className="mx-auto max-w-4xl p-8">
      <h1 className="text-2xl font-semibold">Slipway API</h1>
      <p className="mt-2 text-sm text-zinc-500">
        Machine-readable:{" "}
        <a className="underline" href="/api/v1/openapi.json">
          /api/v1/openapi.json
        </a>{" "}
        (OpenAPI 3.1). Success bodies are <code>{"{message, data, metadata}"}</code>; errors are{" "}
        <code>{"{detail, error: {code, message, request_id, fields?}}"}</code>. Authenticate with the session cookie or{" "}
        <code>Authorization: Bearer &lt;API key&gt;</code>.
      </p>
      {tags.map((tag) => (
        <section key={tag} className="mt-8">
          <h2 className="text-lg font-semibold">{tag}</h2>
          <ul className="mt-2 divide-y rounded-md border dark:divide-zinc-800 dark:border-zinc-800">
            {allContracts
              .filter((c) => c.tag === tag)
              .map((c) => (
                <li key={`${c.method} ${c.path}`} className="flex gap-3 p-3 text-sm">
                  <span className={`w-16 shrink-0 rounded px-2 py-0.5 text-center font-mono text-xs ${methodColor[c.method]}`}>{c.method}</span>
                  <div>
                    <code className="font-mono">{c.path}</code>
                    <p className="text-zinc-500">{c.summary}</p>
                  </div>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </main>
  );
}
