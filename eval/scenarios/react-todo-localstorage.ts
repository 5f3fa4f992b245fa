import { reply, text, toolCall } from "../../tests/fixtures/scripted-llm/server";
import { scenario } from "../types";

const app = `import { useEffect, useState } from "react";

const KEY = "todos";

function loadTodos() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(saved) ? saved : [];
  } catch {
    return [];
  }
}

export default function App() {
  const [todos, setTodos] = useState(loadTodos);
  const [draft, setDraft] = useState("");

  useEffect(() => {
    localStorage.setItem(KEY, JSON.stringify(todos));
  }, [todos]);

  function add(event) {
    event.preventDefault();
    const value = draft.trim();
    if (!value) return;
    setTodos((list) => [...list, { id: crypto.randomUUID(), text: value, done: false }]);
    setDraft("");
  }

  function toggle(id) {
    setTodos((list) => list.map((t) => (t.id === id ? { ...t, done: !t.done } : t)));
  }

  return (
    <main className="min-h-screen bg-slate-50 text-slate-900">
      <div className="mx-auto max-w-md p-8 space-y-4">
        <h1 className="text-3xl font-bold">Todos</h1>
        <form onSubmit={add} className="flex gap-2">
          <input className="flex-1 rounded border px-3 py-2" placeholder="New todo" value={draft} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit" className="rounded bg-indigo-600 px-4 py-2 text-white">
            Add
          </button>
        </form>
        <ul className="space-y-1">
          {todos.map((todo) => (
            <li key={todo.id}>
              <label className={todo.done ? "line-through text-slate-400" : ""}>
                <input type="checkbox" checked={todo.done} onChange={() => toggle(todo.id)} /> {todo.text}
              </label>
            </li>
          ))}
        </ul>
      </div>
    </main>
  );
}
`;

export default scenario({
  name: "react-todo-localstorage",
  template: "vite-react",
  prompt:
    'Make this app a todo list kept in localStorage: a text input with the placeholder "New todo", an "Add" button, a list of the items below with a checkbox each, and everything still there after a reload.',
  checks: [
    { kind: "file_matches", path: "src/App.jsx", pattern: /localStorage/ },
    {
      kind: "page_text",
      actions: [
        { fill: 'input[placeholder="New todo"]', value: "Water the plants" },
        { click: 'role=button[name="Add"]' },
        { fill: 'input[placeholder="New todo"]', value: "Book the train" },
        { press: 'input[placeholder="New todo"]', key: "Enter" },
        { reload: true },
      ],
      text: ["Water the plants", "Book the train"],
    },
    { kind: "no_runtime_errors" },
    { kind: "command", command: "npx vite build --logLevel error", timeout_ms: 120_000 },
  ],
  script: [
    reply([toolCall("read_file", { path: "src/App.jsx" })]),
    reply([toolCall("write_file", { path: "src/App.jsx", content: app })]),
    reply([toolCall("check_preview", {})]),
    reply([text("The app is a todo list now; items and their checkboxes are saved in localStorage.")]),
  ],
});
