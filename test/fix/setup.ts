// Shared by the test/fix tests: a small host tree from the Debian 12 fixture (sshd_config, login.defs
// with an unusual owner and mode), a plan that edits both and creates a drop-in, and an exact
// picture of the tree (every entry, bytes, mode, owner, group) to compare before and after.
import {
  chownSync,
  chmodSync,
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, before, type TestContext } from 'node:test';
import { buildSync } from 'esbuild';
import type { FixPlan } from '../../src/fix/plan.js';
import { CANDIDATE } from '../../src/fix/plan.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'hosts', 'debian12-default', 'etc');

export interface Work {
  dir: string;
  root: string;
  state: string;
  sshdConfig: string;
  dropIn: string;
  loginDefs: string;
  reloadLog: string;
}

/** A fresh work dir: root/etc/ssh/sshd_config (0644 root), root/etc/login.defs (0640, 1234:4321), a state dir. */
export function makeWork(t?: TestContext, base?: string): Work {
  const dir = mkdtempSync(join(base ?? tmpdir(), 'rampart-fix-'));
  t?.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = join(dir, 'root');
  mkdirSync(join(root, 'etc', 'ssh', 'sshd_config.d'), { recursive: true });
  const sshdConfig = join(root, 'etc', 'ssh', 'sshd_config');
  const loginDefs = join(root, 'etc', 'login.defs');
  cpSync(join(FIXTURE, 'ssh', 'sshd_config'), sshdConfig);
  cpSync(join(FIXTURE, 'login.defs'), loginDefs);
  chmodSync(sshdConfig, 0o644);
  chownSync(loginDefs, 1234, 4321);
  chmodSync(loginDefs, 0o640);
  utimesSync(loginDefs, 1_600_000_000, 1_600_000_000);
  return {
    dir,
    root,
    state: join(dir, 'state'),
    sshdConfig,
    dropIn: join(root, 'etc', 'ssh', 'sshd_config.d', '00-rampart.conf'),
    loginDefs,
    reloadLog: join(dir, 'reloads.log'),
  };
}

export const NEW_DROPIN = 'PasswordAuthentication no\nPermitRootLogin no\n';

/** Edits sshd_config and login.defs, creates a drop-in (0600 root); validators check each candidate is non-empty; one reload appends to a log. */
export function samplePlan(w: Work): FixPlan {
  const sshd = readFileSync(w.sshdConfig, 'utf8').replace('#PasswordAuthentication yes', 'PasswordAuthentication no');
  const defs = readFileSync(w.loginDefs, 'utf8').replace('PASS_MAX_DAYS\t99999', 'PASS_MAX_DAYS\t180');
  return {
    host: 'test-host',
    changes: [
      { path: w.sshdConfig, content: Buffer.from(sshd), validate: ['grep', '-q', '^PasswordAuthentication no$', CANDIDATE] },
      { path: w.dropIn, content: Buffer.from(NEW_DROPIN), create: { mode: 0o600, uid: 0, gid: 0 }, validate: ['test', '-s', CANDIDATE] },
      { path: w.loginDefs, content: Buffer.from(defs) },
    ],
    reload: [{ argv: ['sh', '-c', 'echo reload >> "$1"', 'sh', w.reloadLog] }],
  };
}

/** Every entry under `dir` (relative path → kind, mode, owner, group, sha256 of the bytes; mtime of files). */
export function picture(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const s = lstatSync(p);
      const rel = relative(dir, p);
      const meta = `${(s.mode & 0o7777).toString(8)} ${s.uid}:${s.gid}`;
      if (s.isDirectory()) {
        out[rel] = `dir ${meta}`;
        walk(p);
      } else if (s.isFile())
        out[rel] = `file ${meta} ${createHash('sha256').update(readFileSync(p)).digest('hex')} mtime=${Math.floor(s.mtimeMs)}`;
      else out[rel] = `other ${meta}`;
    }
  };
  walk(dir);
  return out;
}

export function sha(s: string | Buffer): string {
  return createHash('sha256').update(s).digest('hex');
}

/** What test/fix/child.ts is given (plan contents in base64). */
export interface ChildArgs {
  op: 'apply' | 'rollback' | 'recover' | 'fire' | 'confirm';
  stateDir: string;
  runId: string;
  killAt: string;
  /** fire: how long to hold the lock after marking the switch `firing`, before the rollback. */
  holdMs?: number;
  /** Wait until this time (epoch ms) before acting. */
  startAt?: number;
  /** confirm: the SSH_CONNECTION of the confirming login. */
  ssh?: string;
  plan?: Omit<FixPlan, 'changes'> & { changes: (Omit<FixPlan['changes'][number], 'content'> & { content: string })[] };
}

export function encodePlan(p: FixPlan): NonNullable<ChildArgs['plan']> {
  return { ...p, changes: p.changes.map((c) => ({ ...c, content: Buffer.from(c.content).toString('base64') })) };
}

/** Two real commands with exact undos on files of the work root: sed edits etc/ufw/user.rules, cp creates etc/ufw/added.rules. */
export function commandPlan(w: Work, opts: { failing?: boolean } = {}): FixPlan {
  const rules = join(w.root, 'etc', 'ufw', 'user.rules');
  const added = join(w.root, 'etc', 'ufw', 'added.rules');
  mkdirSync(dirname(rules), { recursive: true });
  writeFileSync(rules, '*filter\n:ufw-user-input - [0:0]\nCOMMIT\n');
  chmodSync(rules, 0o640);
  utimesSync(rules, 1_600_000_000, 1_600_000_000);
  const p = samplePlan(w);
  return {
    ...p,
    changes: p.changes.slice(0, 2),
    commands: [
      { argv: ['sed', '-i', '2a -A ufw-user-input -p tcp --dport 22 -j ACCEPT', rules], purpose: 'edit', restores: [rules] },
      opts.failing
        ? { argv: ['sh', '-c', 'echo half-done >> "$1"; exit 3', 'sh', added], purpose: 'fails half way', restores: [added] }
        : { argv: ['cp', rules, added], purpose: 'copy', restores: [added] },
    ],
  };
}

/**
 * test/fix/child.ts bundled once for the file (before/after hooks), so that each child the test kills
 * is a plain node process with no TypeScript loader to start. Returns the bundle's path (set once the
 * file's `before` hook has run).
 */
export function bundledChild(prefix: string): () => string {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    buildSync({
      entryPoints: [join(import.meta.dirname, 'child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: join(dir, 'child.mjs'),
      logLevel: 'error',
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  return () => join(dir, 'child.mjs');
}
