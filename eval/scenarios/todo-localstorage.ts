import { reply, text, toolCall } from "../../tests/fixtures/scripted-llm/server";
import { scenario } from "../types";

const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Todos</title>
    <link rel="stylesheet" href="styles.css" />
  </head>
  <body>
    <main>
      <h1>Todos</h1>
      <form id="todo-form">
        <input id="todo-input" placeholder="New todo" autocomplete="off" />
        <button type="submit">Add</button>
      </form>
      <ul id="todo-list"></ul>
    </main>
    <script src="main.js"></script>
  </body>
</html>
`;

const script = `const KEY = "todos";
const form = document.getElementById("todo-form");
const input = document.getElementById("todo-input");
const list = document.getElementById("todo-list");

function load() {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(saved) ? saved : [];
  } catch {
    return [];
  }
}

let todos = load();

function render() {
  list.replaceChildren(
    ...todos.map((todo) => {
      const item = document.createElement("li");
      item.textContent = todo;
      return item;
    }),
  );
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const value = input.value.trim();
  if (!value) return;
  todos = [...todos, value];
  localStorage.setItem(KEY, JSON.stringify(todos));
  input.value = "";
  render();
});

render();
`;

export default scenario({
  name: "todo-localstorage",
  template: "static",
  prompt:
    'Turn this page into a todo list kept in localStorage: a text input with the placeholder "New todo", an "Add" button that adds the typed item to a list below, and the list must still be there after a reload.',
  checks: [
    { kind: "file_matches", path: "main.js", pattern: /localStorage/ },
    {
      kind: "page_text",
      actions: [
        { fill: 'input[placeholder="New todo"]', value: "Buy oat milk" },
        { click: 'role=button[name="Add"]' },
        { fill: 'input[placeholder="New todo"]', value: "Call the plumber" },
        { click: 'role=button[name="Add"]' },
        { reload: true },
      ],
      text: ["Buy oat milk", "Call the plumber"],
    },
    { kind: "no_runtime_errors" },
    { kind: "command", command: "node --check main.js" },
  ],
  script: [
    reply([toolCall("list_files", {})]),
    reply([toolCall("write_file", { path: "index.html", content: html }), toolCall("write_file", { path: "main.js", content: script })]),
    reply([text("The page is now a todo list; items are saved in localStorage and survive a reload.")]),
  ],
});
