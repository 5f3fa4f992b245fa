import next from "eslint-config-next";
import tseslint from "typescript-eslint";

const config = [
  {
    ignores: [
      ".next/**",
      ".next-*/**",
      "bench/next-floor/.next/**",
      "node_modules/**",
      "data/**",
      "templates/**",
      "tests/.tmp/**",
      "test-artifacts/**",
      "next-env.d.ts",
    ],
  },
  ...next,
  ...tseslint.configs.recommended,
  {
    // The browser bundle may use the shared schemas and protocol types and the browser's API code, never the server's modules.
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/prisma-free-db/*", "@/lib/*", "!@/lib/shared", "!@/lib/shared/*", "!@/lib/client", "!@/lib/client/*"],
              message: "components/ may import only from @/lib/shared/* and @/lib/client/*",
            },
          ],
        },
      ],
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
];

export default config;
