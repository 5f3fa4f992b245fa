import { reply, text, toolCall } from "../../tests/fixtures/scripted-llm/server";
import { scenario } from "../types";

const styles = `body { font-family: system-ui, sans-serif; margin: 0; display: grid; place-items: center; min-height: 100vh; background: #0b1d3a; color: #ffffff; }
main { max-width: 40rem; padding: 2rem; }
`;

export default scenario({
  name: "dark-theme",
  template: "static",
  prompt: "Give the page a dark theme: background colour #0b1d3a and white text. Keep the content as it is.",
  checks: [
    { kind: "file_matches", path: "styles.css", pattern: /#0b1d3a/i },
    { kind: "page_text", text: ["Hello from Slipway", "Ask the agent to change this page."] },
    { kind: "no_runtime_errors" },
  ],
  script: [
    reply([toolCall("read_file", { path: "styles.css" })]),
    reply([toolCall("write_file", { path: "styles.css", content: styles })]),
    reply([text("The page now has a dark navy background (#0b1d3a) with white text.")]),
  ],
});
