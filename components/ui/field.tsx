import type { InputHTMLAttributes } from "react";

export const inputClass =
  "rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-zinc-700 dark:bg-zinc-950";

export function Field({ label, hint, ...props }: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string }) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="font-medium">{label}</span>
      <input {...props} className={`${inputClass} ${props.className ?? ""}`} />
      {hint && <span className="text-xs text-zinc-500">{hint}</span>}
    </label>
  );
}
