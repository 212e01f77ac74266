/**
 * Accounts scenarios are overlays: test/fixtures/accounts/<scenario>/ holds only the files it
 * changes, on top of the scenario named in its BASE file (default base-debian12). Git keeps no
 * modes or owners, so the loader applies them: sudoers files 0440 (as the sudo package ships them),
 * then the scenario's MODES lines (`path 0666`), owner root when the tests run as root, and
 * var/log/lastlog built from LASTLOG.json ({ "UID": { time, line, host } }).
 */
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  closeSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeSync,
  mkdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { isRoot } from '../helpers.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'accounts');
const META = new Set(['SOURCE.md', 'BASE', 'MODES', 'LASTLOG.json', 'DELETE']);

function chain(name: string): string[] {
  const out = [name];
  let cur = name;
  while (cur !== 'base-debian12') {
    const b = join(FIXTURES, cur, 'BASE');
    cur = existsSync(b) ? readFileSync(b, 'utf8').trim() : 'base-debian12';
    out.unshift(cur);
  }
  return out;
}

function writeLastlog(root: string, spec: Record<string, { time: string; line: string; host: string }>): void {
  mkdirSync(join(root, 'var/log'), { recursive: true });
  const fd = openSync(join(root, 'var/log/lastlog'), 'w');
  try {
    for (const [uid, r] of Object.entries(spec)) {
      const b = Buffer.alloc(292);
      b.writeInt32LE(Math.floor(Date.parse(r.time) / 1000), 0);
      b.write(r.line, 4, 31, 'utf8');
      b.write(r.host, 36, 255, 'utf8');
      writeSync(fd, b, 0, b.length, Number(uid) * 292);
    }
  } finally {
    closeSync(fd);
  }
}

/** Materialises a scenario into a fresh temp root; `rootOwned` says whether files are owned by UID 0. */
export function loadScenario(t: TestContext, name: string): { root: string; rootOwned: boolean } {
  const root = mkdtempSync(join(tmpdir(), 'rampart-accounts-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  let lastlog: Record<string, { time: string; line: string; host: string }> | null = null;
  let modes: string[] = [];
  for (const layer of chain(name)) {
    const dir = join(FIXTURES, layer);
    cpSync(dir, root, { recursive: true, filter: (src) => !META.has(src.slice(dir.length + 1)) });
    if (existsSync(join(dir, 'DELETE')))
      for (const p of readFileSync(join(dir, 'DELETE'), 'utf8').split('\n').filter(Boolean))
        rmSync(join(root, p), { recursive: true, force: true });
    if (existsSync(join(dir, 'LASTLOG.json'))) lastlog = JSON.parse(readFileSync(join(dir, 'LASTLOG.json'), 'utf8')) as typeof lastlog;
    if (existsSync(join(dir, 'MODES'))) modes = [...modes, ...readFileSync(join(dir, 'MODES'), 'utf8').split('\n').filter(Boolean)];
  }
  const sudoers = [
    join(root, 'etc/sudoers'),
    ...(existsSync(join(root, 'etc/sudoers.d')) ? readdirSync(join(root, 'etc/sudoers.d')).map((n) => join(root, 'etc/sudoers.d', n)) : []),
  ];
  for (const p of sudoers) if (existsSync(p)) chmodSync(p, 0o440);
  if (existsSync(join(root, 'etc/shadow'))) chmodSync(join(root, 'etc/shadow'), 0o640);
  for (const m of modes) {
    const [p, mode] = m.trim().split(/\s+/);
    chmodSync(join(root, p!), parseInt(mode!, 8));
  }
  if (lastlog) writeLastlog(root, lastlog);
  const rootOwned = isRoot();
  if (rootOwned) for (const p of sudoers) if (existsSync(p)) chownSync(p, 0, 0);
  return { root, rootOwned };
}
