import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'fail2ban');

/** A temp root: the Debian 12 base tree with the case's overlay (test/fixtures/fail2ban/<case>/root) on top. */
export function caseRoot(t: TestContext, name: string): string {
  const root = mkdtempSync(join(tmpdir(), 'rampart-f2b-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  cpSync(join(FIXTURES, 'debian12-base'), root, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.endsWith('SOURCE.md') });
  if (name !== 'debian12-base') cpSync(join(FIXTURES, name, 'root'), root, { recursive: true, verbatimSymlinks: true });
  return root;
}
