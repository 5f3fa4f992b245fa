import { useState } from "react";

export default function App() {
  const [count, setCount] = useState(0);
  return (
    <main className="min-h-screen grid place-items-center bg-slate-50 text-slate-900">
      <div className="max-w-xl p-8 text-center space-y-4">
        <h1 className="text-4xl font-bold">Hello from Slipway</h1>
        <p className="text-slate-600">React + Vite + Tailwind. Ask the agent to change this page.</p>
        <button
          className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white hover:bg-indigo-500"
          onClick={() => setCount((c) => c + 1)}
        >
          Clicked {count} times
        </button>
      </div>
    </main>
  );
}
