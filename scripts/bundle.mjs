// Bundles the compiled CLI (dist/cli/main.js and what it imports, zod and yaml included) into one
// CommonJS file, dist/rampart.cjs, and records a V8 code cache for it, dist/rampart.cjs.cache, which
// bin/rampart.js hands to V8 when it compiles the bundle.
//
// Why: Node 20's ES module loader spends about a quarter of a second resolving, reading and linking
// the ~300 files one by one, and V8 then compiles every function on first use. One file plus the
// code V8 compiled for its top level cut `rampart requirements` from 0.54 s to 0.26 s here (medians
// of 9; 0.33 s with the bundle but no cache).
// The cache is only a cache: bin/rampart.js uses it when it was made from this very bundle (SHA-256
// in its first 32 bytes) and V8 accepts it (same V8 version and flags); otherwise V8 compiles as usual.
//
// Native and lazily loaded packages stay outside the bundle: better-sqlite3 (a .node addon), pg and
// redis (loaded only when a server is reached), @zxcvbn-ts (first strength check), playwright-core
// (tests and bench). Identifiers are kept, so an internal error's stack trace names the function.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';

const CACHE = 'dist/rampart.cjs.cache';

await build({
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/rampart.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifyWhitespace: true,
  minifySyntax: true,
  external: ['better-sqlite3', 'pg', 'redis', 'playwright-core', '@zxcvbn-ts/*'],
  // import.meta.url (createRequire, files beside the code) becomes the bundle's own file URL.
  define: { 'import.meta.url': '__rampartUrl' },
  banner: { js: "const __rampartUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

// The code cache: what V8 compiled while loading the bundle and listing the catalog (`rampart
// requirements`: reads nothing of the host, runs no command). Measured: a cache recorded after whole
// sample audits (1.4 MB) made the live audit no faster than this one (0.7 MB), whose gain is the
// compile of the bundle's top level; functions an audit calls later compile as they are first used.
rmSync(CACHE, { force: true });
const r = spawnSync(process.execPath, ['bin/rampart.js', 'requirements'], {
  env: { ...process.env, RAMPART_WRITE_CODE_CACHE: CACHE },
  stdio: ['ignore', 'ignore', 'pipe'],
  encoding: 'utf8',
});
if (r.status !== 0 || !existsSync(CACHE))
  console.warn(
    `bundle: no code cache (rampart requirements exited ${r.status}: ${r.stderr.trim().slice(0, 300)}); rampart works, it only starts slower`,
  );
