import { cpSync, mkdtempSync, rmSync, utimesSync, writeFileSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TestContext } from 'node:test';
import { FsTarget } from '../../src/target/fs-target.js';
import { packagesCollector } from '../../src/collect/packages.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import type { PackageFacts } from '../../src/facts/packages.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'packages');

/** The offline root (dpkg status, lists, os-release) with a scenario's files laid over it. */
export function fixtureRoot(t: TestContext, scenario: string | null, extra: Record<string, string | Buffer | null> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'rampart-pkg-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  cpSync(join(FIXTURES, 'offline-root'), root, { recursive: true });
  if (scenario) cpSync(join(FIXTURES, scenario), root, { recursive: true });
  for (const [rel, content] of Object.entries(extra)) {
    const p = join(root, rel);
    if (content === null) rmSync(p, { recursive: true, force: true });
    else {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
    }
  }
  return root;
}

/** Sets the mtime of every file under dir (lists' age is judged from mtimes). */
export function touchAll(dir: string, when: Date): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) touchAll(p, when);
    else utimesSync(p, when, when);
  }
}

export async function collectPackages(root: string): Promise<PackageFacts> {
  const f = await packagesCollector.collect({
    target: new FsTarget({ root, name: 'fixture' }),
    config: DEFAULT_CONFIG,
    commandTimeoutMs: 15_000,
  });
  if (f.state !== 'collected') throw new Error(`packages fact ${f.state}: ${f.reason}`);
  return f.value;
}
