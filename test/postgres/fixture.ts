import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'postgres');
export const BASE = 'debian15-default';
export const CONF_DIR = '/etc/postgresql/15/main';
export const DATA_DIR = '/var/lib/postgresql/15/main';

export const CASES = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** expect.json: id → status, or id → { offline, live } where the modes differ (what only a running server shows). */
export function expectations(name: string): Record<string, string | { offline: string; live: string }> {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'expect.json'), 'utf8')) as Record<
    string,
    string | { offline: string; live: string }
  >;
}

/** A temp root: the Debian base tree with the case's overlay (<case>/root) on top. */
export function caseRoot(t: TestContext, name: string): string {
  const root = mkdtempSync(join(tmpdir(), 'rampart-pg-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  cpSync(join(FIXTURES, BASE), root, { recursive: true, filter: (src) => !src.endsWith('SOURCE.md') && !src.endsWith('expect.json') });
  const overlay = join(FIXTURES, name, 'root');
  if (name !== BASE && existsSync(overlay)) cpSync(overlay, root, { recursive: true });
  return root;
}
