import { reply, text, toolCall } from "../../tests/fixtures/scripted-llm/server";
import { scenario } from "../types";

export default scenario({
  name: "react-heading",
  template: "vite-react",
  prompt: 'Change the heading to "Trail Planner", the text below it to "Plan your next hike.", and the browser tab title to "Trail Planner".',
  checks: [
    { kind: "file_contains", path: "src/App.jsx", text: "Trail Planner" },
    { kind: "page_text", text: ["Trail Planner", "Plan your next hike."], title: "Trail Planner" },
    { kind: "no_runtime_errors" },
  ],
  script: [
    reply([toolCall("read_file", { path: "src/App.jsx" }), toolCall("read_file", { path: "index.html" })]),
    reply([
      toolCall("edit_file", { path: "src/App.jsx", search: "Hello from Slipway", replace: "Trail Planner" }),
      toolCall("edit_file", { path: "src/App.jsx", search: "React + Vite + Tailwind. Ask the agent to change this page.", replace: "Plan your next hike." }),
      toolCall("edit_file", { path: "index.html", search: "<title>My Slipway app</title>", replace: "<title>Trail Planner</title>" }),
    ]),
    reply([text('The heading reads "Trail Planner" with "Plan your next hike." below it, and the tab title matches.')]),
  ],
});
