import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { collectLogging } from '../../src/collect/logging.js';
import { collectFail2ban } from '../../src/collect/fail2ban.js';
import type { Fact } from '../../src/facts/fact.js';
import type { Fail2banFacts } from '../../src/facts/fail2ban.js';
import type { LoggingFacts } from '../../src/facts/logging.js';
import { FsTarget } from '../../src/target/fs-target.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'logging');
const F2B_BASE = join(import.meta.dirname, '..', 'fixtures', 'fail2ban', 'debian12-base');

export type Layer = 'rsyslog' | 'fail2ban';

/**
 * A temp root: base/ (Debian 12 logrotate + journald), the layers asked for (rsyslog/ of this
 * directory; fail2ban = the fail2ban fixtures' Debian 12 base), then cases/<name>/root, then the
 * paths listed in cases/<name>/remove.txt are removed.
 */
export function caseRoot(t: TestContext, name: string | null, layers: readonly Layer[] = []): string {
  const root = mkdtempSync(join(tmpdir(), 'rampart-log-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const copy = (from: string) =>
    cpSync(from, root, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.endsWith('SOURCE.md') });
  copy(join(FIXTURES, 'base'));
  for (const l of layers) copy(l === 'rsyslog' ? join(FIXTURES, 'rsyslog') : F2B_BASE);
  if (name) {
    const dir = join(FIXTURES, 'cases', name);
    if (existsSync(join(dir, 'root'))) copy(join(dir, 'root'));
    const rm = join(dir, 'remove.txt');
    if (existsSync(rm))
      for (const p of readFileSync(rm, 'utf8').split('\n').filter(Boolean)) rmSync(join(root, p), { force: true, recursive: true });
  }
  return root;
}

/** The fail2ban facts of the same root (log.security-events and log.alerts read them beside the logging facts). */
export function fail2banAt(root: string): Promise<Fact<Fail2banFacts>> {
  return collectFail2ban({ target: new FsTarget({ root, name: 'fixture' }), config: DEFAULT_CONFIG, commandTimeoutMs: 10_000 });
}

export async function factsAt(root: string): Promise<LoggingFacts> {
  const f = await collectLogging({ target: new FsTarget({ root, name: 'fixture' }), config: DEFAULT_CONFIG, commandTimeoutMs: 10_000 });
  if (f.state !== 'collected') throw new Error(`logging facts ${f.state}: ${f.reason}`);
  return f.value;
}
