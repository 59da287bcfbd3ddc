/** @type {import("next").NextConfig} */
const nextConfig = {
  // PGlite ships wasm and data files; ws must stay external or the Neon driver breaks ("b.mask is not a function").
  serverExternalPackages: ["@electric-sql/pglite", "ws", "pg", "tsx"],
  poweredByHeader: false,
  typescript: { tsconfigPath: "tsconfig.json" },
};
export default nextConfig;
