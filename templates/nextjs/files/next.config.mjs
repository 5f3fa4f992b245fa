/** @type {import('next').NextConfig} */
const nextConfig = {
  // The dev server is reached through Slipway's preview proxy under another host name.
  allowedDevOrigins: ["*.preview.localhost", "localhost", "127.0.0.1"],
};

export default nextConfig;
