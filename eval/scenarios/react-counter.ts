import { reply, text, toolCall } from "../../tests/fixtures/scripted-llm/server";
import { scenario } from "../types";

const app = `import { useState } from "react";

export default function App() {
  const [count, setCount] = useState(0);
  return (
    <main className="min-h-screen grid place-items-center bg-slate-50 text-slate-900">
      <div className="max-w-xl p-8 text-center space-y-4">
        <h1 className="text-4xl font-bold">Counter</h1>
        <p className="text-2xl">Count: {count}</p>
        <div className="flex justify-center gap-2">
          <button className="rounded-lg bg-indigo-600 px-4 py-2 font-medium text-white" onClick={() => setCount((c) => c + 1)}>
            Increment
          </button>
          <button className="rounded-lg bg-slate-200 px-4 py-2 font-medium" onClick={() => setCount(0)}>
            Reset
          </button>
        </div>
      </div>
    </main>
  );
}
`;

const increment = { click: 'role=button[name="Increment"]' };

export default scenario({
  name: "react-counter",
  template: "vite-react",
  prompt:
    'Replace the "Clicked N times" button with a counter: a line "Count: N", an "Increment" button that adds one and a "Reset" button that sets it back to 0.',
  checks: [
    { kind: "page_text", actions: [increment, increment, increment], text: ["Count: 3"] },
    { kind: "page_text", actions: [increment, increment, { click: 'role=button[name="Reset"]' }], text: ["Count: 0"] },
    { kind: "no_runtime_errors" },
    { kind: "command", command: "npx vite build --logLevel error", timeout_ms: 120_000 },
  ],
  script: [
    reply([toolCall("write_file", { path: "src/App.jsx", content: app })]),
    reply([text('The page now shows "Count: N" with Increment and Reset buttons.')]),
  ],
});
