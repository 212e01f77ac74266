#!/usr/bin/env node
// Loads the CLI bundle (dist/rampart.cjs, made by npm run build: tsc, then scripts/bundle.mjs) with
// the V8 code cache recorded for it, when that cache was made from this very bundle.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { isMainThread } from 'node:worker_threads';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const file = join(dir, 'rampart.cjs');
let source;
try {
  source = readFileSync(file, 'utf8');
} catch (e) {
  process.stderr.write(
    `rampart: cannot load ${file} (${e.code ?? e.message}): run \`npm install\` (or \`npm run build\`) in ${join(dir, '..')}\n`,
  );
  process.exit(2);
}
const hash = createHash('sha256').update(source).digest();
let cachedData;
try {
  const cache = readFileSync(`${file}.cache`);
  if (cache.subarray(0, 32).equals(hash)) cachedData = cache.subarray(32);
} catch {
  // no cache: V8 compiles as usual
}
// (the bundle loads pg, redis and @zxcvbn-ts with require, not import(): see src/util/load-package.ts)
const script = new Script(Module.wrap(source), { filename: file, cachedData });
const module = { exports: {} };
script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dir);
const out = process.env.RAMPART_WRITE_CODE_CACHE;
if (out) {
  // scripts/bundle.mjs: record what V8 compiled during this run
  process.on('exit', () => {
    writeFileSync(`${out}.tmp`, Buffer.concat([hash, script.createCachedData()]));
    renameSync(`${out}.tmp`, out);
  });
}
// In a worker thread (src/cli/watchdog.ts starts one per collection) the bundle runs the collectors.
if (isMainThread) module.exports.main();
else module.exports.collectWorkerMain();
