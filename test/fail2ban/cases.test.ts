// Fixture directories: the offline collector on each case root, and the checks' verdicts on it.
import { test } from 'node:test';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { collectFail2ban } from '../../src/collect/fail2ban.js';
import { collectLogging } from '../../src/collect/logging.js';
import type { LoggingFacts } from '../../src/facts/logging.js';
import sshdJailCheck from '../../src/checks/f2b/sshd-jail.js';
import logSourceCheck from '../../src/checks/f2b/log-source.js';
import runningCheck from '../../src/checks/f2b/running.js';
import type { Fail2banFacts } from '../../src/facts/fail2ban.js';
import { ctx, makeTree } from '../helpers.js';
import { caseRoot } from './fixture.js';
import { sshdOn } from '../checks/f2b/facts.js';

async function collectAt(root: string) {
  return collectFail2ban({ target: new FsTarget({ root, name: 'fixture' }), config: DEFAULT_CONFIG, commandTimeoutMs: 5000 });
}
/** The logging facts of the root: the f2b checks read the journal and rsyslog's routes there. */
async function loggingOf(root: string): Promise<LoggingFacts> {
  const l = await collectLogging({ target: new FsTarget({ root, name: 'fixture' }), config: DEFAULT_CONFIG, commandTimeoutMs: 5000 });
  assert.equal(l.state, 'collected');
  return (l as { value: LoggingFacts }).value;
}
async function factsOf(root: string): Promise<Fail2banFacts> {
  const f = await collectAt(root);
  assert.equal(f.state, 'collected');
  return (f as { value: Fail2banFacts }).value;
}

interface Case {
  name: string;
  sshdPorts?: number[];
  expect: Partial<{
    enabled: boolean;
    maxretry: number;
    bantime: number;
    findtime: number;
    port: string;
    backend: string;
    logpath: string[];
    config: string;
  }>;
  sources?: Partial<Record<'enabled' | 'maxretry' | 'bantime' | 'findtime' | 'port', string>>;
  jail?: string;
  log?: string;
  /** Lay a /var/log/auth.log with sshd lines into the root (fail2ban starts only with a log file). */
  authlog?: boolean;
}

const CASES: Case[] = [
  {
    name: 'debian12-default',
    expect: { enabled: true, maxretry: 5, bantime: 600, findtime: 600, port: 'ssh', backend: 'auto', logpath: ['/var/log/auth.log'] },
    sources: { enabled: 'jail.d/defaults-debian.conf:2', maxretry: 'jail.conf:' },
    jail: 'fail',
    log: 'fail',
  },
  // The guide's values, but no /var/log/auth.log: fail2ban does not start, so the jail does not run either.
  {
    name: 'guide-snippet-authlog.fail',
    expect: { enabled: true, maxretry: 3, bantime: 3600, findtime: 600, logpath: ['/var/log/auth.log'] },
    sources: { bantime: 'jail.local:7' },
    jail: 'fail',
    log: 'fail',
  },
  { name: 'guide-snippet-authlog.fail', authlog: true, expect: { maxretry: 3 }, jail: 'pass', log: 'pass' },
  { name: 'backend-systemd.pass', expect: { backend: 'systemd' }, jail: 'pass', log: 'pass' },
  { name: 'authlog-with-sshd.pass', jail: 'pass', log: 'pass', expect: {} },
  {
    name: 'jail-d-local-overrides-jail-local',
    authlog: true,
    expect: { maxretry: 3 },
    sources: { maxretry: 'jail.d/10-site.local:3' },
    jail: 'pass',
  },
  {
    name: 'local-over-conf',
    authlog: true,
    expect: { maxretry: 3, bantime: 7200, findtime: 900 },
    sources: { bantime: 'jail.d/50-site.local:2', maxretry: 'jail.local:3' },
    jail: 'pass',
  },
  {
    name: 'default-section-inheritance',
    authlog: true,
    expect: { maxretry: 3, bantime: 86400, findtime: 3600 },
    sources: { bantime: 'jail.local:2' },
    jail: 'pass',
  },
  {
    name: 'interpolation',
    sshdPorts: [2222],
    expect: {
      enabled: true,
      port: 'ssh,2222',
      bantime: 7200,
      findtime: 1800,
      backend: 'auto',
      logpath: ['/var/log/secure-auth.log', '/var/log/sshd-extra.log'],
    },
    jail: 'fail',
    log: 'fail',
  },
  { name: 'time-units', authlog: true, expect: { maxretry: 3, bantime: 5400, findtime: 129600 }, jail: 'pass' },
  { name: 'port-mismatch.fail', sshdPorts: [2222], expect: { port: 'ssh' }, jail: 'fail' },
  { name: 'disabled-jail.fail', expect: { enabled: false }, sources: { enabled: 'jail.d/zz-off.local:2' }, jail: 'fail', log: 'na' },
  { name: 'inline-hash-comment.fail', expect: { enabled: false }, jail: 'fail' },
  { name: 'allports-action', authlog: true, sshdPorts: [2222], expect: { bantime: -1 }, jail: 'pass' },
  { name: 'malformed-ini.fail', expect: { config: 'invalid' }, jail: 'fail', log: 'unknown' },
  { name: 'missing-section-header.fail', expect: { config: 'invalid' }, jail: 'fail', log: 'unknown' },
  { name: 'binary-garbage', expect: { config: 'ok', bantime: 600, maxretry: 5 }, jail: 'fail' },
];

for (const c of CASES) {
  test(`fixture ${c.name}${c.authlog ? ' (with auth.log)' : ''}`, async (t) => {
    const root = caseRoot(t, c.name);
    if (c.authlog) {
      mkdirSync(join(root, 'var/log'), { recursive: true });
      writeFileSync(
        join(root, 'var/log/auth.log'),
        '2026-11-28T02:10:01.000001+00:00 web-1 sshd[2001]: Invalid user admin from 203.0.113.5 port 41000\n',
      );
    }
    const f = await factsOf(root);
    if (c.expect.config) assert.equal(f.config.status, c.expect.config, JSON.stringify(f.config));
    const j = f.sshdJail;
    const e = c.expect;
    if (f.config.status === 'ok') {
      assert.ok(j);
      if (e.enabled !== undefined) assert.equal(j.enabled.value, e.enabled);
      if (e.maxretry !== undefined) assert.equal(j.maxretry.value, e.maxretry);
      if (e.bantime !== undefined) assert.equal(j.bantime.value, e.bantime);
      if (e.findtime !== undefined) assert.equal(j.findtime.value, e.findtime);
      if (e.port !== undefined) assert.equal(j.port.text, e.port);
      if (e.backend !== undefined) assert.equal(j.backend.value, e.backend);
      if (e.logpath !== undefined) assert.deepEqual(j.logpath.value, e.logpath);
      for (const [k, where] of Object.entries(c.sources ?? {})) {
        const s = j[k as 'enabled'].source;
        assert.ok(`${s.path ?? ''}:${s.line ?? ''}`.includes(`/etc/fail2ban/${where}`), `${k} set at ${where}, got ${JSON.stringify(s)}`);
      }
    }
    const sshd = sshdOn(c.sshdPorts ?? [22]);
    const logging = await loggingOf(root);
    const offline = ctx({ live: false });
    if (c.jail)
      assert.equal(
        sshdJailCheck.evaluate({ fail2ban: f, sshd, logging }, offline).status,
        c.jail,
        sshdJailCheck.evaluate({ fail2ban: f, sshd, logging }, offline).summary,
      );
    if (c.log)
      assert.equal(
        logSourceCheck.evaluate({ fail2ban: f, logging }, offline).status,
        c.log,
        logSourceCheck.evaluate({ fail2ban: f, logging }, offline).summary,
      );
  });
}

test('binary garbage: the undecodable jail.local is reported as skipped, as fail2ban skips it', async (t) => {
  const f = await factsOf(caseRoot(t, 'binary-garbage'));
  assert.ok(f.skipped.some((s) => s.path === '/etc/fail2ban/jail.local' && /UTF-8/.test(s.reason)));
  assert.ok(!f.files.includes('/etc/fail2ban/jail.local'));
});

test('reading order with includes: paths-debian (+ paths-common, overrides) before jail.conf', async (t) => {
  const f = await factsOf(caseRoot(t, 'interpolation'));
  const rel = f.files.map((p) => p.replace('/etc/fail2ban/', ''));
  assert.deepEqual(rel, [
    'paths-common.conf',
    'paths-overrides.local',
    'paths-debian.conf',
    'paths-overrides.local',
    'jail.conf',
    'jail.d/defaults-debian.conf',
    'jail.local',
  ]);
});

test('offline enablement: unit symlink present and a log source → running passes with the offline note; removed → fails', async (t) => {
  const root = caseRoot(t, 'debian12-default');
  // Debian's jail reads /var/log/auth.log; without it (and no rsyslog) fail2ban refuses to start.
  const refused = runningCheck.evaluate({ fail2ban: await factsOf(root), logging: await loggingOf(root) }, ctx({ live: false }));
  assert.equal(refused.status, 'fail', refused.summary);
  assert.match(
    refused.summary,
    /enabled at boot but could not start with this configuration: .*\/var\/log\/auth\.log, which does not exist/,
  );
  mkdirSync(join(root, 'var/log'), { recursive: true });
  writeFileSync(
    join(root, 'var/log/auth.log'),
    '2026-11-28T02:10:01.000001+00:00 web-1 sshd[2001]: Invalid user admin from 203.0.113.5 port 41000\n',
  );
  const f = await factsOf(root);
  assert.equal(f.service.enabledAtBoot, true);
  assert.equal(runningCheck.evaluate({ fail2ban: f, logging: await loggingOf(root) }, ctx({ live: false })).status, 'pass');
  // A mask (systemctl mask: a symlink to /dev/null, which leads nowhere inside an offline root) wins over the *.wants/ link.
  symlinkSync('/dev/null', join(root, 'etc/systemd/system/fail2ban.service'));
  const m = await factsOf(root);
  assert.deepEqual([m.service.masked, m.service.enabledAtBoot], [true, false]);
  const masked = runningCheck.evaluate({ fail2ban: m, logging: await loggingOf(root) }, ctx({ live: false }));
  assert.equal(masked.status, 'fail');
  assert.match(masked.summary, /masked/);
  const bare = makeTree(
    {
      'usr/bin/fail2ban-client': '#!/bin/sh\n',
      'etc/fail2ban/jail.conf': '[sshd]\nenabled = true\n',
      'lib/systemd/system/fail2ban.service': '[Unit]\n',
    },
    t,
  );
  const g = await factsOf(bare);
  assert.equal(g.service.enabledAtBoot, false);
  assert.equal(runningCheck.evaluate({ fail2ban: g, logging: await loggingOf(bare) }, ctx({ live: false })).status, 'fail');
});

test('fail2ban not installed → absent', async (t) => {
  const root = makeTree({ 'etc/fail2ban/jail.conf': '[sshd]\nenabled = true\n' }, t);
  assert.equal((await collectAt(root)).state, 'absent');
});

test('bad input: symlink loop, unreadable size, a file name with a newline', async (t) => {
  const root = makeTree(
    {
      'usr/bin/fail2ban-client': '#!/bin/sh\n',
      'etc/fail2ban/jail.conf': '[DEFAULT]\nbantime = 1h\n[sshd]\nenabled = true\nlogpath = /var/log/a\n',
      'etc/fail2ban/jail.d/loop.conf': { symlink: 'loop.conf' },
      'etc/fail2ban/jail.d/new\nline.local': '[sshd]\nmaxretry = 2\n',
      'etc/fail2ban/jail.local': Buffer.alloc(5 * 1024 * 1024, 0x61),
    },
    t,
  );
  const f = await factsOf(root);
  assert.equal(f.config.status, 'unreadable');
  assert.match(f.config.status === 'unreadable' ? f.config.reason : '', /read limit/);
  assert.equal(sshdJailCheck.evaluate({ fail2ban: f, sshd: sshdOn([22]), logging: await loggingOf(root) }, ctx()).status, 'unknown');
});

test('a file name with a newline is read like any other', async (t) => {
  const root = makeTree(
    {
      'usr/bin/fail2ban-client': '#!/bin/sh\n',
      'etc/fail2ban/jail.conf': '[DEFAULT]\nbantime = 1h\n[sshd]\nenabled = true\nport = ssh\n',
      'etc/fail2ban/jail.d/new\nline.local': '[sshd]\nmaxretry = 2\n',
      'etc/fail2ban/jail.d/loop.conf': { symlink: 'loop.conf' },
    },
    t,
  );
  const f = await factsOf(root);
  assert.equal(f.config.status, 'ok');
  assert.equal(f.sshdJail?.maxretry.value, 2);
  assert.equal(f.sshdJail?.maxretry.source.path, '/etc/fail2ban/jail.d/new\nline.local');
});
