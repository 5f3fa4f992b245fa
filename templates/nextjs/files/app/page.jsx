export default function Home() {
  return (
    <main className="min-h-screen grid place-items-center bg-slate-50 text-slate-900">
      <div className="max-w-xl p-8 text-center space-y-4">
        <h1 className="text-4xl font-bold">Hello from Slipway</h1>
        <p className="text-slate-600">Next.js App Router + Tailwind. Ask the agent to change this page.</p>
      </div>
    </main>
  );
}
