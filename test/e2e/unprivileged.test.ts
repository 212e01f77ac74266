// The whole audit run as an unprivileged user (nobody), on a realistic offline root and on this host:
// no result may be decided by a file the run could not read (issue 9 §5). Permission denied gives
// `unknown` naming the path; it is never read as "absent", and nothing that could not be seen passes.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { hostRoot, rampart } from './hosts.js';
import { ReportSchema } from '../../src/report/schema.js';
import { FsTarget } from '../../src/target/fs-target.js';

type Report = ReturnType<typeof ReportSchema.parse>;
const USER = 'nobody';
const NOW = '2026-12-01T00:00:00Z';
const SCOPE = ['/etc', '/var', '/root', '/home', '/srv', '/opt', '/app', '/usr/local', '/run'];

/** What USER cannot read under `root` (target paths): unreadable files, and directories it cannot list or enter. */
function deniedFor(root: string): { files: string[]; dirs: string[] } {
  const base = SCOPE.map((d) => (root === '/' ? d : join(root, d))).filter((p) => existsSync(p));
  const find = (expr: string[]) =>
    spawnSync('runuser', ['-u', USER, '--', 'find', ...base, ...expr], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
      .stdout.split('\n')
      .filter(Boolean)
      .map((p) => (root === '/' ? p : p.slice(root.length)));
  return {
    files: find(['-type', 'f', '!', '-readable', '-print']),
    dirs: [...new Set([...find(['-type', 'd', '!', '-readable', '-print']), ...find(['-type', 'd', '!', '-executable', '-print'])])],
  };
}

const DECIDED = new Set(['pass', 'fail', 'warn']);
/** Findings about a file's metadata (stat needs no read permission) may name an unreadable file. */
const METADATA = /\bmode\b|\bowner\b|\bowned\b|\b0[0-7]{3,4}\b|permissions?\b|storage|mounted/i;

function violations(report: Report, denied: { files: string[]; dirs: string[] }, root: string): string[] {
  const files = new Set(denied.files);
  const under = (p: string) => denied.dirs.some((d) => p.startsWith(`${d}/`));
  const target = new FsTarget({ root, name: 'check' });
  const out: string[] = [];
  for (const r of report.results) {
    if (!DECIDED.has(r.status)) continue;
    const texts = [r.summary, ...r.findings.map((f) => f.message)];
    for (const f of r.findings) {
      if (!f.path) continue;
      if (files.has(f.path) && !METADATA.test(f.message)) out.push(`${r.id} ${r.status}: decided with unreadable ${f.path}: ${f.message}`);
      if (under(f.path)) out.push(`${r.id} ${r.status}: cites ${f.path} inside a directory ${USER} cannot list or enter`);
    }
    for (const t of texts) {
      if (/permission denied|EACCES/i.test(t)) out.push(`${r.id} ${r.status}: says "${t.slice(0, 160)}"`);
      // An absence claimed by a decided result must be true (EACCES read as "absent" is the bug).
      for (const m of t.matchAll(/"?(\/[^\s"':;,()]+)"? (?:does not exist|is missing)/g)) {
        const p = m[1]!;
        if (target.resolve(p).ok && existsSyncIn(root, p)) out.push(`${r.id} ${r.status}: says ${p} does not exist, but it does`);
      }
    }
  }
  return out;
}

function existsSyncIn(root: string, p: string): boolean {
  const hp = new FsTarget({ root, name: 'check' }).resolve(p);
  return hp.ok && existsSync(hp.path);
}

function auditAs(args: string[]): Report {
  const r = rampart(['audit', '--format', 'json', '--no-store', '--now', NOW, ...args], { user: USER });
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  return ReportSchema.parse(JSON.parse(r.stdout));
}

function needRoot(t: TestContext): boolean {
  // Switching to another user needs root; CI runs the suite as root, so there this never skips.
  if (process.getuid?.() === 0) return true;
  t.skip('needs root to run the CLI as another user');
  return false;
}

/** The Debian 12 hardened fixture with the modes Debian gives its secrets (ufw rules 0640, sudoers.d 0750, host keys 0600). */
function realisticRoot(t: TestContext): string {
  const root = hostRoot('debian12-hardened', t);
  chmodSync(root, 0o755);
  for (const f of readdirSync(join(root, 'etc/ufw'))) if (f.endsWith('.rules')) chmodSync(join(root, 'etc/ufw', f), 0o640);
  chmodSync(join(root, 'etc/sudoers.d'), 0o750);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', join(root, 'etc/ssh/ssh_host_ed25519_key_unpriv')]);
  chmodSync(join(root, 'etc/ssh/ssh_host_ed25519_key_unpriv'), 0o600);
  return root;
}

test('unprivileged audit of an offline root: nothing is decided by a file it could not read', (t) => {
  if (!needRoot(t)) return;
  const root = realisticRoot(t);
  const denied = deniedFor(root);
  assert.ok(denied.files.includes('/etc/sudoers') && denied.files.includes('/etc/shadow'), JSON.stringify(denied));
  assert.ok(denied.dirs.includes('/etc/sudoers.d'), JSON.stringify(denied));
  const report = auditAs(['--root', root]);
  assert.deepEqual(violations(report, denied, root), []);
  // The case of the issue: /etc/sudoers is there (0440), so it is unknown naming it, not "does not exist".
  const sudo = report.results.find((x) => x.id === 'accounts.sudo-for-admin')!;
  assert.equal(sudo.status, 'unknown', sudo.summary);
  assert.match(sudo.summary, /"\/etc\/sudoers" permission denied/);
  assert.doesNotMatch(sudo.summary, /does not exist/);
  const review = report.results.find((x) => x.id === 'accounts.review')!;
  assert.equal(review.status, 'unknown', review.summary);
  assert.match(review.summary, /\/etc\/shadow/);
});

test('unprivileged live audit of this host: nothing is decided by a file it could not read', (t) => {
  if (!needRoot(t)) return;
  const denied = deniedFor('/');
  assert.ok(denied.files.includes('/etc/shadow'), 'this host has a /etc/shadow that nobody cannot read');
  const report = auditAs([]);
  assert.deepEqual(violations(report, denied, '/'), []);
});
