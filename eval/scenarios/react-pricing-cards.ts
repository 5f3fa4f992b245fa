import { reply, text, toolCall } from "../../tests/fixtures/scripted-llm/server";
import { scenario } from "../types";

const card = `export default function PriceCard({ plan, price }) {
  return (
    <article className="rounded-xl border bg-white p-6 shadow-sm">
      <h2 className="text-xl font-semibold">{plan}</h2>
      <p className="text-3xl font-bold">\${price}/month</p>
    </article>
  );
}
`;

const app = `import PriceCard from "./components/PriceCard.jsx";

const plans = [
  { plan: "Basic", price: 5 },
  { plan: "Pro", price: 12 },
  { plan: "Team", price: 30 },
];

export default function App() {
  return (
    <main className="min-h-screen bg-slate-50 p-8 text-slate-900">
      <h1 className="mb-6 text-center text-4xl font-bold">Pricing</h1>
      <div className="mx-auto grid max-w-4xl gap-4 sm:grid-cols-3">
        {plans.map((p) => (
          <PriceCard key={p.plan} plan={p.plan} price={p.price} />
        ))}
      </div>
    </main>
  );
}
`;

export default scenario({
  name: "react-pricing-cards",
  template: "vite-react",
  prompt:
    'Make a pricing page: a component in src/components/PriceCard.jsx that shows a plan name and "$N/month", used three times under the heading "Pricing": Basic $5, Pro $12, Team $30.',
  checks: [
    { kind: "file_exists", path: "src/components/PriceCard.jsx" },
    { kind: "page_text", text: ["Pricing", "Basic", "$5/month", "Pro", "$12/month", "Team", "$30/month"] },
    { kind: "no_runtime_errors" },
    { kind: "command", command: "npx vite build --logLevel error", timeout_ms: 120_000 },
  ],
  script: [
    reply([toolCall("write_file", { path: "src/components/PriceCard.jsx", content: card }), toolCall("write_file", { path: "src/App.jsx", content: app })]),
    reply([text("Added PriceCard and a Pricing page with Basic, Pro and Team.")]),
  ],
});
