// Issue 9 §7: a symlink in an offline root whose target passes through a missing or non-directory
// component and then climbs with '..' (`nope/../../../…/tmp/X/sshd_config`) must stop there like the
// kernel, never reach a file of this machine. A canary tree outside the root holds a weakened copy of
// every file the links name; the whole audit must show nothing of it (collectors, includes, globs, walks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { hostRoot } from '../e2e/hosts.js';
import { makeTree, runCli } from '../helpers.js';

const CANARY = {
  'etc/ssh/sshd_config': 'PermitRootLogin yes\nPasswordAuthentication yes\nAllowUsers canaryuser\nInclude /etc/ssh/sshd_config.d/*.conf\n',
  'etc/ssh/sshd_config.d/99-canary.conf': 'X11Forwarding yes\nAllowUsers canaryuser\n',
  'etc/sudoers': 'canaryuser ALL=(ALL) NOPASSWD: ALL\n',
  'etc/fail2ban/jail.local': '[sshd]\nenabled = true\nmaxretry = 7777\n',
  'etc/hostname': 'canary-host\n',
  'etc/ufw/ufw.conf': 'ENABLED=yes\n# canary\n',
  'etc/passwd': 'canaryuser:x:0:0::/root:/bin/bash\n',
  'app/canary.py': { content: 'print("canary")\n', mode: 0o777 },
};

/** Each link and the component that stops it: a missing name, or a regular file (/etc/os-release). */
const LINKS: Record<string, 'missing' | 'file'> = {
  'etc/ssh/sshd_config': 'missing', // a file the sshd collector reads
  'etc/ssh/sshd_config.d': 'file', // a directory an Include glob lists
  'etc/sudoers': 'missing',
  'etc/fail2ban/jail.local': 'file',
  'etc/hostname': 'missing', // the target's name
  'etc/ufw/ufw.conf': 'missing',
  'etc/passwd': 'file',
  app: 'missing', // a tree the app-permissions scan walks
};

type Report = { target: { name: string }; results: { id: string; status: string; summary: string }[] };

test('offline root: links through a missing or non-directory component never reach a canary outside the root (whole audit)', async (t) => {
  const canary = makeTree(CANARY, t);
  const root = hostRoot('debian12-hardened', t);
  const up = '../'.repeat(16);
  for (const [rel, via] of Object.entries(LINKS)) {
    const p = join(root, rel);
    rmSync(p, { recursive: true, force: true });
    mkdirSync(join(p, '..'), { recursive: true });
    symlinkSync(via === 'missing' ? `nope/${up}${canary.slice(1)}/${rel}` : `/etc/os-release/${up}${canary.slice(1)}/${rel}`, p);
  }
  const audit = async () => {
    const r = await runCli(['audit', '--root', root, '--format', 'json', '--no-store', '--now', '2026-11-28T10:00:00Z']);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    return { stdout: r.stdout, report: JSON.parse(r.stdout) as Report };
  };
  const { stdout, report } = await audit();
  const leaks = report.results.filter((x) => /canary|7777/i.test(JSON.stringify(x)) || JSON.stringify(x).includes(canary));
  assert.deepEqual(
    leaks.map((x) => `${x.id} ${x.status}: ${x.summary}`),
    [],
  );
  assert.notEqual(report.target.name, 'canary-host');
  assert.doesNotMatch(stdout, /canary/i);
  // The kernel's answer for such a link is ENOENT/ENOTDIR: the audit must equal one where each link
  // ends at that component (nothing climbs after it).
  for (const [rel, via] of Object.entries(LINKS)) {
    rmSync(join(root, rel));
    symlinkSync(via === 'missing' ? 'nope' : '/etc/os-release/x', join(root, rel));
  }
  const dangling = (await audit()).report;
  const shape = (x: Report) => x.results.map((r) => `${r.id} ${r.status}: ${r.summary}`);
  assert.deepEqual(shape(report), shape(dangling));
});
