import { reply, text, toolCall } from "../../tests/fixtures/scripted-llm/server";
import { scenario } from "../types";

const app = `import { useState } from "react";

const EMAIL = /^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$/;

export default function App() {
  const [email, setEmail] = useState("");
  const [message, setMessage] = useState("");

  function submit(event) {
    event.preventDefault();
    setMessage(EMAIL.test(email.trim()) ? \`Thanks, \${email.trim()} is subscribed!\` : "Please enter a valid email address");
  }

  return (
    <main className="min-h-screen grid place-items-center bg-slate-50 text-slate-900">
      <form onSubmit={submit} className="w-full max-w-sm space-y-3 p-8">
        <h1 className="text-3xl font-bold">Newsletter</h1>
        <input className="w-full rounded border px-3 py-2" type="text" placeholder="you@example.com" value={email} onChange={(e) => setEmail(e.target.value)} />
        <button type="submit" className="rounded bg-indigo-600 px-4 py-2 text-white">
          Subscribe
        </button>
        {message && <p role="status">{message}</p>}
      </form>
    </main>
  );
}
`;

const input = 'input[placeholder="you@example.com"]';
const subscribe = { click: 'role=button[name="Subscribe"]' };

export default scenario({
  name: "react-email-form",
  template: "vite-react",
  prompt:
    'Replace the page with a newsletter sign-up: heading "Newsletter", an email input with the placeholder "you@example.com" and a "Subscribe" button. An invalid address shows "Please enter a valid email address"; a valid one shows "Thanks, <address> is subscribed!".',
  checks: [
    { kind: "page_text", actions: [{ fill: input, value: "not-an-email" }, subscribe], text: ["Please enter a valid email address"] },
    { kind: "page_text", actions: [{ fill: input, value: "ada@example.com" }, subscribe], text: ["Thanks, ada@example.com is subscribed!"] },
    { kind: "no_runtime_errors" },
  ],
  script: [
    reply([toolCall("write_file", { path: "src/App.jsx", content: app })]),
    reply([text("The page is a newsletter form that validates the address before subscribing.")]),
  ],
});
