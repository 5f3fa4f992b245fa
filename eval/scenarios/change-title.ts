import { reply, text, toolCall } from "../../tests/fixtures/scripted-llm/server";
import { scenario } from "../types";

export default scenario({
  name: "change-title",
  template: "static",
  prompt: 'Change the page heading and the browser tab title to "Harbor Lights Bakery".',
  checks: [
    { kind: "file_contains", path: "index.html", text: "Harbor Lights Bakery" },
    { kind: "page_text", text: ["Harbor Lights Bakery"], title: "Harbor Lights Bakery" },
    { kind: "no_runtime_errors" },
  ],
  script: [
    reply([toolCall("read_file", { path: "index.html" })]),
    reply([
      toolCall("edit_file", { path: "index.html", search: "<title>My Slipway site</title>", replace: "<title>Harbor Lights Bakery</title>" }),
      toolCall("edit_file", { path: "index.html", search: "<h1>Hello from Slipway</h1>", replace: "<h1>Harbor Lights Bakery</h1>" }),
    ]),
    reply([text('The heading and the tab title now read "Harbor Lights Bakery".')]),
  ],
});
