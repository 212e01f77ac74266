// Every fact has one collector: no collector module reaches another collector module (or a check) through
// its imports. What collectors share lives in parse/, host/, scan/ and the helper modules beside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '..', '..', 'src');
const COLLECT = join(SRC, 'collect');
/** The registry imports every collector; nothing else may. */
const REGISTRY = join(COLLECT, 'index.ts');

/** Relative imports of a module (static `from '…'`, side-effect `import '…'`, dynamic `import('…')`), resolved to .ts files. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const p = resolve(dirname(file), m[1]!).replace(/\.js$/, '.ts');
    out.push(p.endsWith('.ts') ? p : `${p}.ts`);
  }
  return out;
}

const isCollectorModule = (file: string) => dirname(file) === COLLECT && /\bdefineCollector\s*\(/.test(readFileSync(file, 'utf8'));

/** The modules `file` reaches through its imports, with the chain that reaches each. */
function reach(file: string): Map<string, string[]> {
  const seen = new Map<string, string[]>([[file, [file]]]);
  const queue = [file];
  while (queue.length > 0) {
    const f = queue.shift()!;
    let text: string;
    try {
      if (!statSync(f).isFile()) continue;
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    for (const dep of importsOf(f, text)) {
      if (seen.has(dep)) continue;
      seen.set(dep, [...seen.get(f)!, dep]);
      // The chain stops at a collector module or a check: reaching one is already the finding.
      if (!isCollectorModule(dep) && !dep.startsWith(join(SRC, 'checks'))) queue.push(dep);
    }
  }
  return seen;
}

const collectors = readdirSync(COLLECT)
  .filter((n) => n.endsWith('.ts'))
  .map((n) => join(COLLECT, n))
  .filter((f) => f !== REGISTRY && isCollectorModule(f));

test('the collector modules are found (the test looks at something)', () => {
  const names = collectors.map((f) => relative(COLLECT, f));
  for (const n of ['fail2ban.ts', 'logging.ts', 'ids.ts', 'postgres.ts', 'sshd.ts', 'accounts.ts']) assert.ok(names.includes(n), n);
});

test('no collector module imports another collector module, directly or through a helper', () => {
  const bad: string[] = [];
  for (const c of collectors)
    for (const [dep, chain] of reach(c)) if (dep !== c && isCollectorModule(dep)) bad.push(chain.map((p) => relative(SRC, p)).join(' → '));
  assert.deepEqual(bad, []);
});

test('no collector reads a check: judgement stays in checks/', () => {
  const bad: string[] = [];
  for (const c of collectors)
    for (const [dep, chain] of reach(c)) if (dep.startsWith(join(SRC, 'checks'))) bad.push(chain.map((p) => relative(SRC, p)).join(' → '));
  assert.deepEqual(bad, []);
});

test('the import scan sees static, side-effect and dynamic imports (so the tests above can fail)', () => {
  const f = join(COLLECT, 'x.ts');
  const text = `import { a } from './fail2ban.js';\nimport './host/index.js';\nconst m = await import('../checks/f2b/running.js');\nimport type { T } from '../facts/fact.js';`;
  assert.deepEqual(
    importsOf(f, text).map((p) => relative(SRC, p)),
    ['collect/fail2ban.ts', 'collect/host/index.ts', 'checks/f2b/running.ts', 'facts/fact.ts'],
  );
  assert.ok(isCollectorModule(join(COLLECT, 'fail2ban.ts')));
  assert.ok(!isCollectorModule(join(COLLECT, 'host', 'units.ts')));
});
