import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { sep, join, relative } from 'node:path';
import { COLLECTORS } from '../../src/collect/index.js';
import { STATE_FACT_KEYS } from '../../src/facts/index.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The module specifiers a TypeScript file imports or re-exports. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
}

test('layering: no command module imports another (shared pipeline code lives in src/audit.ts and src/cli/*.ts)', () => {
  const commands = join(SRC, 'cli', 'commands');
  // The registry (commands/index.ts) is the one module that imports every command.
  const bad = files(commands)
    .filter((f) => !f.endsWith(`${sep}index.ts`))
    .flatMap((f) =>
      imports(f)
        .filter((spec) => spec.startsWith('./') || /(^|\/)commands\//.test(spec))
        .map((spec) => `${relative(SRC, f)} imports ${spec}`),
    );
  assert.deepEqual(bad, []);
});

test('layering: the collectors are run from one place, src/audit.ts', () => {
  const callers = files(SRC)
    .filter((f) => !f.endsWith(join('collect', 'run.ts')))
    .filter((f) => imports(f).some((spec) => /(^|\/)collect\/run\.js$/.test(spec) || spec === './run.js'))
    .filter((f) => /\bcollectFacts\b/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(SRC, f));
  assert.deepEqual(callers, ['audit.ts']);
});

test('state facts are their own kind: no collector in the registry', () => {
  for (const k of STATE_FACT_KEYS) assert.ok(!Object.hasOwn(COLLECTORS, k), `COLLECTORS.${k}`);
  assert.ok(Object.hasOwn(COLLECTORS, 'host'));
});

test('the imports scanner sees imports (the layering tests above can fail)', () => {
  const found = imports(join(SRC, 'cli', 'commands', 'audit.ts'));
  assert.ok(found.includes('../../audit.js'), found.join(', '));
  assert.ok(found.includes('../snapshot-source.js'));
});
