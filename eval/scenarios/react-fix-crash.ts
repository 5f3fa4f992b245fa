import { reply, text, toolCall } from "../../tests/fixtures/scripted-llm/server";
import { scenario } from "../types";

/** Renders `props.items.map` with no items passed: React throws on the first render and the page stays blank. */
const brokenList = `export default function ShoppingList({ items }) {
  return (
    <ul className="list-disc pl-6">
      {items.map((item) => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}
`;

const app = `import ShoppingList from "./ShoppingList.jsx";

export default function App() {
  return (
    <main className="min-h-screen bg-slate-50 p-8 text-slate-900">
      <h1 className="text-3xl font-bold">Shopping list</h1>
      <ShoppingList />
    </main>
  );
}
`;

export default scenario({
  name: "react-fix-crash",
  template: "vite-react",
  seed: { "src/App.jsx": app, "src/ShoppingList.jsx": brokenList },
  prompt: 'The page is blank and the browser console shows an error. Fix it so that the shopping list shows "Apples", "Bread" and "Coffee".',
  checks: [
    { kind: "no_runtime_errors" },
    { kind: "page_text", text: ["Shopping list", "Apples", "Bread", "Coffee"] },
    { kind: "command", command: "npx vite build --logLevel error", timeout_ms: 120_000 },
  ],
  script: [
    reply([toolCall("read_file", { path: "src/App.jsx" }), toolCall("read_file", { path: "src/ShoppingList.jsx" })]),
    reply([
      toolCall("edit_file", {
        path: "src/ShoppingList.jsx",
        search: "export default function ShoppingList({ items }) {",
        replace: "export default function ShoppingList({ items = [] }) {",
      }),
      toolCall("edit_file", { path: "src/App.jsx", search: "<ShoppingList />", replace: '<ShoppingList items={["Apples", "Bread", "Coffee"]} />' }),
    ]),
    reply([toolCall("check_preview", {})]),
    reply([text("App rendered ShoppingList without items, so `items.map` threw. It now passes the three items, and the list defaults to empty.")]),
  ],
});
