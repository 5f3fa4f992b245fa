import { reply, text, toolCall } from "../../tests/fixtures/scripted-llm/server";
import { scenario } from "../types";

/** Reads a property of null on load: the page throws and the greeting never appears. */
const broken = `const params = new URLSearchParams(location.search);
const user = params.has("name") ? { name: params.get("name") } : null;
document.getElementById("greeting").textContent = "Hello, " + user.name;
`;

export default scenario({
  name: "fix-throwing-page",
  template: "static",
  seed: {
    "index.html": `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Greeting</title>
    <link rel="stylesheet" href="styles.css" />
  </head>
  <body>
    <main>
      <h1 id="greeting"></h1>
    </main>
    <script src="main.js"></script>
  </body>
</html>
`,
    "main.js": broken,
  },
  prompt: 'This page throws an error in the browser and shows nothing. Fix it: without a ?name= in the URL it should greet "Hello, guest".',
  checks: [
    { kind: "no_runtime_errors" },
    { kind: "page_text", text: ["Hello, guest"] },
    { kind: "page_text", path: "/?name=Ada", text: ["Hello, Ada"] },
    { kind: "command", command: "node --check main.js" },
  ],
  script: [
    reply([toolCall("read_file", { path: "main.js" })]),
    reply([
      toolCall("edit_file", {
        path: "main.js",
        search: '"Hello, " + user.name;',
        replace: '"Hello, " + (user ? user.name : "guest");',
      }),
    ]),
    reply([toolCall("check_preview", {})]),
    reply([text('main.js read `user.name` while `user` was null. It now falls back to "guest".')]),
  ],
});
