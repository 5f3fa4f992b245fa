import type { BeforeMount } from "@monaco-editor/react";

/**
 * Monaco's own light and dark themes with the token colours that fall below WCAG AA contrast (4.5:1) on their
 * background darkened (light) or lightened (dark) just enough to pass, and readable dimmed line numbers.
 */
export const defineSlipwayThemes: BeforeMount = (monaco) => {
  monaco.editor.defineTheme("slipway-light", {
    base: "vs",
    inherit: true,
    rules: [
      { token: "annotation", foreground: "737373" },
      { token: "metatag.content.html", foreground: "eb0000" },
      { token: "metatag.html", foreground: "737373" },
      { token: "metatag.xml", foreground: "737373" },
      { token: "attribute.name", foreground: "eb0000" },
      { token: "string.sql", foreground: "eb0000" },
      { token: "operator.sql", foreground: "667584" },
    ],
    colors: { "editorLineNumber.dimmedForeground": "#6e6e6e" },
  });
  monaco.editor.defineTheme("slipway-dark", {
    base: "vs-dark",
    inherit: true,
    rules: [
      { token: "variable.predefined", foreground: "7086bd" },
      { token: "comment", foreground: "6a9259" },
      { token: "regexp", foreground: "b96f9b" },
      { token: "annotation", foreground: "cd6969" },
      { token: "delimiter.html", foreground: "888888" },
      { token: "delimiter.xml", foreground: "888888" },
      { token: "tag.id.pug", foreground: "6889b8" },
      { token: "tag.class.pug", foreground: "6889b8" },
      { token: "string.sql", foreground: "ff3838" },
    ],
    colors: { "editorLineNumber.dimmedForeground": "#9a9a9a" },
  });
};

export const monacoTheme = (dark: boolean) => (dark ? "slipway-dark" : "slipway-light");
