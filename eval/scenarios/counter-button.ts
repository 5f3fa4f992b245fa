import { reply, text, toolCall } from "../../tests/fixtures/scripted-llm/server";
import { scenario } from "../types";

const script = `const label = document.getElementById("count");
let count = 0;
document.getElementById("add-one").addEventListener("click", () => {
  count += 1;
  label.textContent = \`Count: \${count}\`;
});
`;

export default scenario({
  name: "counter-button",
  template: "static",
  prompt: 'Add a counter: a line "Count: 0" and a button labelled "Add one" that increases the count by one on each click.',
  checks: [
    { kind: "page_text", text: ["Count: 0"] },
    { kind: "page_text", actions: [{ click: 'role=button[name="Add one"]' }, { click: 'role=button[name="Add one"]' }], text: ["Count: 2"] },
    { kind: "no_runtime_errors" },
    { kind: "command", command: "node --check main.js" },
  ],
  script: [
    reply([
      toolCall("edit_file", {
        path: "index.html",
        search: "      <p>Ask the agent to change this page.</p>\n",
        replace:
          '      <p>Ask the agent to change this page.</p>\n      <p id="count">Count: 0</p>\n      <button id="add-one" type="button">Add one</button>\n',
      }),
      toolCall("write_file", { path: "main.js", content: script }),
    ]),
    reply([toolCall("check_preview", {})]),
    reply([text('Added a "Count: 0" line and an "Add one" button that counts clicks.')]),
  ],
});
