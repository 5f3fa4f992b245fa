import "./globals.css";

export const metadata = { title: "My Slipway app", description: "Built with Slipway" };

export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
