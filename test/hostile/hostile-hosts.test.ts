// Hostile hosts (issue 13): roots built at test time that try to escape, hang, crash or corrupt the
// output. Every case: a clear message or `unknown`, never a crash, a hang or a silent pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { runCli } from '../helpers.js';
import { hostRoot } from '../e2e/hosts.js';

const NOW = ['--now', '2026-12-01T00:00:00Z'];
type Res = { id: string; status: string; message?: string };

function canary(t: TestContext): { path: string; secret: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-canary-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const secret = `CANARY-${randomBytes(8).toString('hex')}`;
  const path = join(dir, 'canary.conf');
  // Valid in every syntax it may be read as, so a parser that reaches it would quote it.
  writeFileSync(path, `PermitRootLogin ${secret}\nrequirepass ${secret}\n${secret}=1\nlisten_addresses = '${secret}'\n`);
  return { path, secret };
}

async function audit(root: string, ...extra: string[]) {
  const t0 = performance.now();
  const r = await runCli(['audit', '--root', root, '--no-store', ...NOW, ...extra]);
  return { ...r, ms: performance.now() - t0 };
}

function results(stdout: string): Res[] {
  const j = JSON.parse(stdout) as { results: Res[] };
  return j.results;
}

/** RFC 4180 rows (quoted fields may hold commas, quotes and newlines). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = '';
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        f += '"';
        i++;
      } else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(f);
      f = '';
    } else if (c === '\n') {
      row.push(f);
      rows.push(row);
      row = [];
      f = '';
    } else if (c !== '\r') f += c;
  }
  if (f !== '' || row.length > 0) {
    row.push(f);
    rows.push(row);
  }
  return rows;
}

test('links out of the root at every followed path: the canary outside never appears in any output', async (t) => {
  const root = hostRoot('debian12-default', t);
  const { path, secret } = canary(t);
  const up = '../'.repeat(12) + path.replace(/^\//, '');
  const links: Record<string, string> = {
    'etc/ssh/sshd_config.d/90-abs.conf': path,
    'etc/ssh/sshd_config.d/91-rel.conf': up,
    'etc/fail2ban/jail.d/90-escape.local': up,
    'etc/logrotate.d/escape': path,
    'etc/sudoers.d/escape': up,
    'etc/rsyslog.d/90-escape.conf': path,
    'etc/redis/escape.conf': up,
    'etc/audit/rules.d/90-escape.rules': path,
    'etc/apt/apt.conf.d/90escape': up,
    'srv/app/.env': up,
    'var/log/auth.log': path,
    'var/backups/escape': up,
  };
  for (const [rel, target] of Object.entries(links)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    rmSync(join(root, rel), { force: true });
    symlinkSync(target, join(root, rel));
  }
  writeFileSync(join(root, 'etc/ssh/sshd_config.d/92-include.conf'), `Include ${path}\nInclude ${up}\n`);
  mkdirSync(join(root, 'srv/app'), { recursive: true });
  writeFileSync(
    join(root, 'srv/app/compose.yaml'),
    `services:\n  web:\n    image: nginx\n    env_file: [${up}, ${path}]\n    extends:\n      file: ${up}\n      service: web\n`,
  );
  for (const format of ['json', 'csv', 'sarif', 'junit', 'markdown', 'text']) {
    const r = await audit(root, '--format', format);
    assert.ok(r.code === 0 || r.code === 1, `${format}: exit ${r.code}: ${r.stderr.slice(0, 300)}`);
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret), `${format}: the canary's content reached the output`);
    if (format === 'json') {
      const root1 = results(r.stdout).find((x) => x.id === 'ssh.root-login-disabled');
      assert.notEqual(root1?.status, 'pass', 'a root login verdict read through an escaping link');
    }
  }
});

test('names with newlines, tabs, invalid UTF-8 and terminal escapes keep JSON, CSV, SARIF and JUnit parseable', async (t) => {
  const root = hostRoot('debian12-default', t);
  const names = ['a\nb.conf', 'tab\there.conf', '\x1b[31mred\x1b[0m.conf', '"quote,comma".conf', '<x>&amp;.conf'];
  for (const n of names) writeFileSync(join(root, 'etc/ssh/sshd_config.d', n), 'PermitRootLogin yes\n');
  writeFileSync(Buffer.from(join(root, 'etc/ssh/sshd_config.d/bad-\xff\xfe.conf'), 'latin1'), 'PasswordAuthentication yes\n');
  mkdirSync(join(root, 'tmp'), { recursive: true });
  for (const n of names) writeFileSync(join(root, 'tmp', n), 'x', { mode: 0o666 });
  const json = await audit(root, '--format', 'json');
  const rs = results(json.stdout);
  assert.ok(rs.length > 50);
  assert.notEqual(rs.find((x) => x.id === 'ssh.root-login-disabled')?.status, 'pass');
  const csv = await audit(root, '--format', 'csv');
  const rows = csvRows(csv.stdout);
  const width = rows[0]!.length;
  assert.ok(
    rows.every((r) => r.length === width),
    'every CSV row has the header width',
  );
  // One row per finding (a result without findings: one row): every result id is there, nothing else.
  const idCol = rows[0]!.indexOf('id');
  assert.ok(idCol >= 0, 'the CSV header names an id column');
  assert.deepEqual(new Set(rows.slice(1).map((r) => r[idCol])), new Set(rs.map((x) => x.id)), 'CSV ids are the results');
  const findings = (JSON.parse(json.stdout) as { results: { findings?: unknown[] }[] }).results.reduce(
    (n, r) => n + Math.max(1, r.findings?.length ?? 0),
    0,
  );
  assert.equal(rows.length - 1, findings, 'one CSV row per finding');
  const sarif = JSON.parse((await audit(root, '--format', 'sarif')).stdout) as { runs: unknown[] };
  assert.equal(sarif.runs.length, 1);
  const junit = (await audit(root, '--format', 'junit')).stdout;
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(junit, /[\x00-\x08\x0b\x0c\x0e-\x1f]/, 'JUnit XML carries no control character XML 1.0 forbids');
  const opened = (junit.match(/<testcase\b[^>]*[^/]>/g) ?? []).length;
  const closed = (junit.match(/<\/testcase>/g) ?? []).length;
  assert.equal(opened, closed, 'JUnit testcases balanced');
  assert.doesNotMatch(
    junit.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, ''),
    /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/,
    'no bare & in JUnit',
  );
});

test('sshd_config.d with 100,000 files: bounded time, a verdict or unknown, no crash', async (t) => {
  const root = hostRoot('debian12-default', t);
  const d = join(root, 'etc/ssh/sshd_config.d');
  for (let i = 0; i < 100_000; i++)
    writeFileSync(join(d, `f${String(i).padStart(6, '0')}.conf`), i === 99_999 ? 'PermitRootLogin yes\n' : '# x\n');
  const r = await audit(root, '--format', 'json', '--only', 'ssh.root-login-disabled');
  assert.ok(r.code === 0 || r.code === 1, r.stderr.slice(0, 300));
  const s = results(r.stdout).find((x) => x.id === 'ssh.root-login-disabled');
  assert.ok(s?.status === 'fail' || s?.status === 'unknown', `status ${s?.status}: ${s?.message}`);
  assert.ok(r.ms < 120_000, `${r.ms} ms`);
});

test('a deep Include chain, an Include loop and a symlink loop: no crash, never pass', async (t) => {
  const root = hostRoot('debian12-default', t);
  const d = join(root, 'etc/ssh/sshd_config.d');
  for (let i = 0; i < 200; i++)
    writeFileSync(join(root, `etc/ssh/chain${i}`), i === 199 ? 'PermitRootLogin no\n' : `Include /etc/ssh/chain${i + 1}\n`);
  writeFileSync(join(d, '00-chain.conf'), 'Include /etc/ssh/chain0\n');
  symlinkSync('loop-b.conf', join(d, 'loop-a.conf'));
  symlinkSync('loop-a.conf', join(d, 'loop-b.conf'));
  const r = await audit(root, '--format', 'json', '--only', 'ssh.root-login-disabled');
  assert.ok(r.code === 0 || r.code === 1, r.stderr.slice(0, 300));
  const s = results(r.stdout).find((x) => x.id === 'ssh.root-login-disabled');
  assert.notEqual(s?.status, 'pass', 'sshd refuses an Include depth over 16: the value at depth 200 is never applied');
});

test('a FIFO and a character device where configs should be: no hang', async (t) => {
  const root = hostRoot('debian12-default', t);
  const fifos = ['etc/ssh/sshd_config.d/50-fifo.conf', 'etc/fail2ban/jail.d/fifo.local', 'etc/logrotate.d/fifo', 'etc/sudoers.d/fifo'];
  for (const f of fifos) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    assert.equal(spawnSync('mkfifo', [join(root, f)]).status, 0);
  }
  mkdirSync(join(root, 'etc/rsyslog.d'), { recursive: true });
  symlinkSync('/dev/zero', join(root, 'etc/rsyslog.d/50-zero.conf'));
  const r = await audit(root, '--format', 'json');
  assert.ok(r.code === 0 || r.code === 1, r.stderr.slice(0, 300));
  assert.ok(r.ms < 120_000);
});

test('--facts garbage, truncated, huge, or carrying __proto__: a clear message, no pollution', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-facts-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = hostRoot('debian12-default', t);
  const save = join(dir, 'good.json');
  const ok = await runCli(['audit', '--root', root, '--no-store', ...NOW, '--save-facts', save, '--only', 'ssh.root-login-disabled']);
  assert.ok(ok.code === 0 || ok.code === 1, ok.stderr);
  const good = (await import('node:fs')).readFileSync(save, 'utf8');
  const cases: Record<string, string | Buffer> = {
    garbage: randomBytes(4096),
    truncated: good.slice(0, Math.floor(good.length / 2)),
    huge: `{"x":"${'a'.repeat(50_000_000)}"}`,
    proto: good.replace(/^\{/, '{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},'),
  };
  for (const [name, content] of Object.entries(cases)) {
    const f = join(dir, `${name}.json`);
    writeFileSync(f, content);
    const r = await runCli(['audit', '--facts', f, '--no-store', ...NOW, '--format', 'json']);
    assert.ok(r.code === 0 || r.code === 1 || r.code === 2, `${name}: exit ${r.code}`);
    if (r.code === 2) {
      assert.match(r.stderr, /facts|snapshot|JSON|large/i, `${name}: ${r.stderr.slice(0, 200)}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /, `${name}: a stack trace`);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined, `${name}: Object.prototype polluted`);
  }
});
