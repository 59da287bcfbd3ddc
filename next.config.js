/** @type {import("next").NextConfig} */
const nextConfig = {
  // PGlite ships wasm and data files; ws must stay external or the Neon driver breaks ("b.mask is not a function").
  serverExternalPackages: ["@electric-sql/pglite", "ws", "pg", "tsx"],
  poweredByHeader: false,
  typescript: { tsconfigPath: "tsconfig.json" },
  experimental: {
    // Next's proxy silently truncates bodies beyond this: one byte over the largest route limit
    // (LARGEST_BODY_LIMIT in lib/http/route-policy.ts), so an oversized body is seen whole enough to be refused.
    proxyClientMaxBodySize: 64 * 1024 * 1024 + 1,
  },
};
export default nextConfig;
