import type { Metadata } from "next";
import { AppOverlays } from "@/components/ui/app-overlays";
import "./globals.css";

export const metadata: Metadata = {
  title: "Slipway",
  description: "Self-hosted AI app builder",
};

// Applies the saved or system theme before first paint, so there is no flash of the wrong theme.
const themeScript = `try{var t=localStorage.getItem("slipway-theme");if(t==="dark"||(!t&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen">
        {children}
        <AppOverlays />
      </body>
    </html>
  );
}
