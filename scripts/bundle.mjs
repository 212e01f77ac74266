// Bundles the compiled CLI (dist/cli/main.js and what it imports, zod and yaml included) into one
// CommonJS file, dist/rampart.cjs, and records a V8 code cache for it, dist/rampart.cjs.cache, which
// bin/rampart.js hands to V8 when it compiles the bundle.
//
// Why: Node 20's ES module loader spends about a quarter of a second resolving, reading and linking
// the ~300 files one by one, and V8 then compiles every function on first use. One file plus the
// code V8 compiled during a sample audit cuts every command's start by ~0.3 s (BENCHMARKS.md).
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

// The code cache: V8's compiled code after an offline audit of the hardened fixture host (read-only,
// runs no command, stores nothing), so the parsers, checks and renderers an audit uses are in it.
rmSync(CACHE, { force: true });
const fixture = 'test/fixtures/hosts/debian12-hardened';
const argv = existsSync(fixture)
  ? ['bin/rampart.js', 'audit', '--root', fixture, '--no-store', '--format', 'json,text,html:/dev/null', '--output', '/dev/null']
  : ['bin/rampart.js', 'requirements'];
const r = spawnSync(process.execPath, argv, { env: { ...process.env, RAMPART_WRITE_CODE_CACHE: CACHE }, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
if (!existsSync(CACHE)) console.warn(`bundle: no code cache (${argv.slice(1).join(' ')} exited ${r.status}: ${r.stderr.trim().slice(0, 300)}); rampart works, it only starts slower`);
