// Bundles the compiled CLI (dist/cli/main.js and what it imports, zod and yaml included) into one
// ES module, dist/rampart.mjs, which bin/rampart.js loads. Node 20's ES module loader spends about a
// quarter of a second resolving, reading and linking the ~300 files one by one; one file cuts the
// start of every command by that much (BENCHMARKS.md). Native and lazily loaded packages stay
// outside: better-sqlite3 (a .node addon), pg and redis (loaded only when a server is reached),
// @zxcvbn-ts (loaded on first strength check) and playwright-core (tests and bench only).
// Identifiers are kept, so stack traces of an internal error still name the function.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/rampart.mjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['better-sqlite3', 'pg', 'redis', 'playwright-core', '@zxcvbn-ts/*'],
  // yaml is CommonJS and requires Node built-ins: give the bundle a require of its own.
  banner: { js: "import { createRequire as __rampartRequire } from 'node:module'; const require = __rampartRequire(import.meta.url);" },
  logLevel: 'warning',
});
