import { reply, text, toolCall } from "../../tests/fixtures/scripted-llm/server";
import { scenario } from "../types";

const about = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>About us</title>
    <link rel="stylesheet" href="styles.css" />
  </head>
  <body>
    <main>
      <h1>About us</h1>
      <p>We are a small team that builds friendly websites.</p>
      <p><a href="index.html">Back home</a></p>
    </main>
  </body>
</html>
`;

export default scenario({
  name: "about-page",
  template: "static",
  prompt: 'Add a second page, about.html, with the heading "About us", and link to it from the home page with a link labelled "About".',
  checks: [
    { kind: "file_exists", path: "about.html" },
    { kind: "page_text", path: "/about.html", text: ["About us"] },
    { kind: "page_text", actions: [{ click: 'role=link[name="About"]' }], text: ["About us"] },
    { kind: "no_runtime_errors", path: "/about.html" },
  ],
  script: [
    reply([
      toolCall("write_file", { path: "about.html", content: about }),
      toolCall("edit_file", {
        path: "index.html",
        search: "      <p>Ask the agent to change this page.</p>\n",
        replace: '      <p>Ask the agent to change this page.</p>\n      <p><a href="about.html">About</a></p>\n',
      }),
    ]),
    reply([text("Added about.html and an About link on the home page.")]),
  ],
});
