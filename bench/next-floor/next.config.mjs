// As Slipway's own next.config.ts for what touches a JSON answer.
const nextConfig = { compress: false, poweredByHeader: false };

export default nextConfig;
