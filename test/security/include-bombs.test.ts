// Include bombs (issue 13): a file including itself three times (sshd, Redis), eight times
// (PostgreSQL), Fail2Ban [INCLUDES] and sudoers includes through an `l -> .` directory link grew
// exponentially (3^16, 8^10 reads: the audit never ended). Each is now bounded by the daemon's depth
// (a too-deep Include is the error servconf.c fatals with) and a budget of files read
// in all, and reported as a problem naming the file and line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli } from '../helpers.js';
import { hostRoot } from '../e2e/hosts.js';

function plant(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

interface JsonReport {
  results: Array<{ id: string; status: string; message: string; evidence?: unknown }>;
}

test('include bombs in sshd, Redis, PostgreSQL, Fail2Ban and sudoers end in seconds, each reported', { timeout: 120_000 }, async (t) => {
  const root = hostRoot('debian12-default', t);
  const sshd = readFileSync(join(root, 'etc/ssh/sshd_config'), 'utf8');
  const jail = readFileSync(join(root, 'etc/fail2ban/jail.conf'), 'utf8').replace(
    /^before = .*$/m,
    'before = l/paths-debian.conf l/paths-debian.conf',
  );
  plant(root, {
    'etc/ssh/sshd_config': `${sshd}\nInclude /etc/ssh/sshd_config\nInclude /etc/ssh/sshd_config\nInclude /etc/ssh/sshd_config\n`,
    'etc/redis/redis.conf': 'port 6379\ninclude /etc/redis/redis.conf\ninclude /etc/redis/redis.conf\ninclude /etc/redis/redis.conf\n',
    'etc/postgresql/15/main/postgresql.conf': `port = 5432\n${"include 'postgresql.conf'\n".repeat(8)}`,
    'etc/fail2ban/jail.conf': jail,
    'etc/fail2ban/paths-debian.conf': `[INCLUDES]\nbefore = l/paths-common.conf l/paths-debian.conf\n${readFileSync(join(root, 'etc/fail2ban/paths-debian.conf'), 'utf8').replace(/^\[INCLUDES\][\s\S]*?(?=^\[DEFAULT\])/m, '')}`,
    'etc/sudoers': 'root ALL=(ALL:ALL) ALL\n@include l/sudoers\n@include l/sudoers\n',
  });
  symlinkSync('.', join(root, 'etc/fail2ban/l'));
  symlinkSync('.', join(root, 'etc/l'));
  const out = join(root, '..', `bombs-${process.pid}.json`);
  t.after(() => writeFileSync(out, ''));
  const t0 = performance.now();
  const r = await runCli(['audit', '--root', root, '--no-store', '--format', `json:${out}`]);
  const s = (performance.now() - t0) / 1000;
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.ok(s < 60, `the audit took ${s.toFixed(1)} s`);
  const report = JSON.parse(readFileSync(out, 'utf8')) as JsonReport;
  const text = JSON.stringify(report);
  assert.match(text, /too many recursive configuration includes/, 'sshd: the too-deep Include is reported');
  const rootLogin = report.results.find((x) => x.id === 'ssh.root-login-disabled');
  assert.notEqual(rootLogin?.status, 'pass', 'never a pass on a configuration sshd refuses');
});
