/**
 * The example is its own app inside the kit's repository: pin Next's root here so it does not pick
 * the repository's lock file one level up.
 * @type {import('next').NextConfig}
 */
const config = {
  poweredByHeader: false,
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
};
export default config;
