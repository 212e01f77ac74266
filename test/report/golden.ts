import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const GOLDEN_DIR = join(import.meta.dirname, '..', 'fixtures', 'report', 'golden');
export const SCHEMAS_DIR = join(import.meta.dirname, '..', 'fixtures', 'schemas');

/**
 * ISO timestamps → one fixed instant of the same shape (fraction and zone kept), so goldens do not
 * follow the clock and stay valid against the schemas (JUnit's timestamp has no zone).
 */
export function scrub(text: string): string {
  return text.replace(
    /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?/g,
    (_m, frac: string | undefined, zone: string | undefined) => `2000-01-01T00:00:00${frac ? '.000' : ''}${zone ?? ''}`,
  );
}

/** Compares with test/fixtures/report/golden/NAME; UPDATE_GOLDEN=1 rewrites the file instead. */
export function assertGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  const text = scrub(actual);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  let expected: string;
  try {
    expected = readFileSync(file, 'utf8');
  } catch {
    assert.fail(`golden file ${name} is missing: run with UPDATE_GOLDEN=1 and review it`);
  }
  assert.equal(text, expected, `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it after review)`);
}
