import { reply, text, toolCall } from "../../tests/fixtures/scripted-llm/server";
import { scenario } from "../types";

export default scenario({
  name: "contact-section",
  template: "static",
  prompt: 'Add a "Contact us" section below the intro with the email address hello@example.com as a mailto link.',
  checks: [
    { kind: "file_matches", path: "index.html", pattern: /href=["']mailto:hello@example\.com["']/ },
    { kind: "page_text", text: ["Contact us", "hello@example.com", "Hello from Slipway"] },
    { kind: "no_runtime_errors" },
  ],
  script: [
    reply([
      toolCall("edit_file", {
        path: "index.html",
        search: "      <p>Ask the agent to change this page.</p>\n",
        replace:
          '      <p>Ask the agent to change this page.</p>\n      <section>\n        <h2>Contact us</h2>\n        <p>Write to <a href="mailto:hello@example.com">hello@example.com</a>.</p>\n      </section>\n',
      }),
    ]),
    reply([text("I added a Contact us section with a mailto link to hello@example.com.")]),
  ],
});
