// Regression tests for the disagreement classes the comparison with the real fail2ban found (issue 9
// §6): each case is Debian 12's /etc/fail2ban with one jail.local (or jail.d file); the real
// fail2ban 1.0.2 (dump and a real start, f2b-agree.ts) states what happens, and Rampart's offline
// verdicts must follow it — never a pass on a configuration fail2ban refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sshdJailCheck from '../../src/checks/f2b/sshd-jail.js';
import logSourceCheck from '../../src/checks/f2b/log-source.js';
import runningCheck from '../../src/checks/f2b/running.js';
import { ctx, requireCommands } from '../helpers.js';
import { sshdOn } from '../checks/f2b/facts.js';
import { generateRoot, writeRoot, type GeneratedRoot } from './conf-gen.js';
import { loggingFor, rampartOf, truthOf } from './f2b-agree.js';

const AUTHLOG = 'Dec  3 08:00:01 web-1 sshd[2001]: Invalid user admin from 203.0.113.5 port 41000\n';
const JOURNAL_PY = 'usr/lib/python3/dist-packages/systemd/journal.py';

interface Case {
  name: string;
  files: Record<string, string>;
  /** What the real fail2ban does: the start's exit code, whether the server then runs the sshd jail. */
  real: { start: 0 | 255; sshdRuns: boolean; error?: RegExp };
  rampart: { running: string; jail: string[]; log: string[]; summary?: RegExp; bantime?: number; port?: string; actions?: string[] };
}

const CASES: Case[] = [
  {
    name: 'inline # comment in maxretry: the server refuses None (NOK)',
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3 # three\nbantime = 1h\n' },
    real: { start: 255, sshdRuns: true, error: /NOK: .*NoneType/ },
    rampart: { running: 'fail', jail: ['fail'], log: ['fail'], summary: /maxretry = "3 # three" in \[sshd\] is not an integer/ },
  },
  {
    name: 'inline # comment in a time: Python eval reads a comment, 1h',
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1h # one hour\n' },
    real: { start: 0, sshdRuns: true },
    rampart: { running: 'pass', jail: ['pass'], log: ['pass'], bantime: 3600 },
  },
  {
    name: 'a time the server cannot evaluate',
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1 fortnight\n' },
    real: { start: 255, sshdRuns: true, error: /NOK: .*invalid syntax/ },
    rampart: { running: 'fail', jail: ['fail'], log: ['fail'], summary: /bantime = "1 fortnight" in \[sshd\]/ },
  },
  {
    name: 'unknown backend',
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1h\nbackend = bogus\n' },
    real: { start: 255, sshdRuns: false, error: /Unknown backend bogus/ },
    rampart: { running: 'fail', jail: ['fail'], log: ['fail'], summary: /backend "bogus"/ },
  },
  {
    name: 'interpolation error in an enabled jail',
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = %(nope)s\n' },
    real: { start: 255, sshdRuns: false, error: /Bad value substitution/ },
    rampart: { running: 'fail', jail: ['fail'], log: ['unknown', 'fail'], summary: /%\(nope\)s/ },
  },
  {
    name: "interpolation error in a disabled jail's filter",
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1h\n[nginx-http-auth]\nfilter = %(nope)s\n' },
    real: { start: 255, sshdRuns: false, error: /option 'filter' in section 'nginx-http-auth'/ },
    rampart: { running: 'fail', jail: ['fail'], log: ['unknown', 'fail'], summary: /nginx-http-auth/ },
  },
  {
    name: "interpolation error in a disabled jail's maxretry is never read",
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1h\n[nginx-http-auth]\nmaxretry = %(nope)s\n' },
    real: { start: 0, sshdRuns: true },
    rampart: { running: 'pass', jail: ['pass'], log: ['pass'] },
  },
  {
    name: 'missing filter for the sshd jail, the only jail: nothing starts',
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1h\nfilter = sshd-nosuch\n' },
    real: { start: 255, sshdRuns: false, error: /Errors in jail 'sshd'/ },
    rampart: { running: 'fail', jail: ['fail'], log: ['unknown', 'fail'], summary: /sshd-nosuch/ },
  },
  {
    name: 'missing filter for the sshd jail, another jail runs: sshd is skipped',
    files: {
      'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1h\nfilter = sshd-nosuch\n[recidive]\nenabled = true\n',
      'var/log/fail2ban.log': '',
    },
    real: { start: 0, sshdRuns: false },
    rampart: { running: 'pass', jail: ['fail'], log: ['fail'], summary: /skips the sshd jail.*sshd-nosuch/ },
  },
  {
    name: 'missing action for the sshd jail',
    files: {
      'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1h\naction = nosuch-action[port=ssh]\n[recidive]\nenabled = true\n',
      'var/log/fail2ban.log': '',
    },
    real: { start: 0, sshdRuns: false },
    rampart: { running: 'pass', jail: ['fail'], log: ['fail'], summary: /nosuch-action/ },
  },
  {
    name: 'another enabled jail with a missing filter and no log file is skipped, not fatal',
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1h\n[nginx-http-auth]\nenabled = true\nfilter = nosuch-filter\n' },
    real: { start: 0, sshdRuns: true },
    rampart: { running: 'pass', jail: ['pass'], log: ['pass'] },
  },
  {
    name: 'another enabled jail without a log file stops the whole start',
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1h\n[nginx-http-auth]\nenabled = true\n' },
    real: { start: 255, sshdRuns: false, error: /Have not found any log file for nginx-http-auth jail/ },
    rampart: { running: 'fail', jail: ['fail'], log: ['fail'], summary: /nginx-http-auth/ },
  },
  {
    name: 'another jail on the systemd backend without python3-systemd',
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1h\n[recidive]\nenabled = true\nbackend = systemd\n' },
    real: { start: 255, sshdRuns: true },
    rampart: { running: 'fail', jail: ['fail'], log: ['fail'], summary: /python3-systemd/ },
  },
  {
    name: 'an action without port= bans its own [Init] port, not the jail port',
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1h\nport = 2222\naction = iptables-multiport[name=ssh]\n' },
    real: { start: 0, sshdRuns: true },
    rampart: { running: 'pass', jail: ['pass'], log: ['pass'], port: 'ssh' },
  },
  {
    name: 'an action named with name= is "<action>-<name>"',
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1h\naction = iptables-allports[name=ssh]\n' },
    real: { start: 0, sshdRuns: true },
    rampart: { running: 'pass', jail: ['pass'], log: ['pass'], actions: ['iptables-allports-ssh'] },
  },
  {
    name: 'a byte-order mark before [sshd]: no section headers for Python',
    files: { 'etc/fail2ban/jail.local': '\ufeff[sshd]\nmaxretry = 3\nbantime = 1h\n' },
    real: { start: 255, sshdRuns: false, error: /File contains no section headers/ },
    rampart: { running: 'fail', jail: ['fail'], log: ['unknown', 'fail'], summary: /no section headers/ },
  },
  {
    name: 'an unknown logencoding',
    files: { 'etc/fail2ban/jail.local': '[sshd]\nmaxretry = 3\nbantime = 1h\nlogencoding = bogus-enc\n' },
    real: { start: 255, sshdRuns: true, error: /unknown encoding: bogus-enc/ },
    rampart: { running: 'fail', jail: ['fail'], log: ['fail'], summary: /logencoding = "bogus-enc"/ },
  },
  {
    name: 'a skipped sshd jail is never converted: its missing log file does not stop the start',
    files: {
      'etc/fail2ban/jail.local': '[sshd]\nfilter = sshd-nosuch\nlogpath = /var/log/sshd-nope.log\n[recidive]\nenabled = true\n',
      'var/log/fail2ban.log': '',
    },
    real: { start: 0, sshdRuns: false },
    rampart: { running: 'pass', jail: ['fail'], log: ['fail'], summary: /sshd-nosuch/ },
  },
  {
    name: 'old Mac line ends (\\r): Python reads each as a line end',
    files: { 'etc/fail2ban/jail.local': '[sshd]\rmaxretry = 2\rbantime = 2h\r' },
    real: { start: 0, sshdRuns: true },
    rampart: { running: 'pass', jail: ['pass'], log: ['pass'], bantime: 7200 },
  },
];

for (const c of CASES) {
  test(`start model: ${c.name}`, { timeout: 60_000 }, async (t) => {
    if (!requireCommands(t, 'fail2ban-client', 'fail2ban-server', 'unshare')) return;
    const g: GeneratedRoot = {
      ...generateRoot(0),
      tags: [],
      files: { 'var/log/auth.log': AUTHLOG, ...c.files },
      masked: false,
      disabledAtBoot: false,
      noPythonSystemd: !(JOURNAL_PY in c.files),
    };
    const root = writeRoot(g);
    t.after(() => rmSync(root, { recursive: true, force: true }));
    const f = await rampartOf(root);
    const real = await truthOf(root, g, true);
    assert.equal(real.start?.code, c.real.start, `real start: ${real.start?.out}`);
    assert.equal(
      real.start.jails.includes('sshd') && !real.configErrors.sshd,
      c.real.sshdRuns,
      `server jails: ${real.start.jails.join(',')}`,
    );
    if (c.real.error) assert.match(real.start.out + real.dumpOut, c.real.error);

    const o = ctx({ live: false });
    const running = runningCheck.evaluate({ fail2ban: f, logging: loggingFor(f) }, o);
    const jail = sshdJailCheck.evaluate({ fail2ban: f, sshd: sshdOn([22]), logging: loggingFor(f) }, o);
    const log = logSourceCheck.evaluate({ fail2ban: f, logging: loggingFor(f) }, o);
    assert.equal(running.status, c.rampart.running, running.summary);
    assert.ok(c.rampart.jail.includes(jail.status), `f2b.sshd-jail ${jail.status}: ${jail.summary}`);
    assert.ok(c.rampart.log.includes(log.status), `f2b.log-source ${log.status}: ${log.summary}`);
    if (c.rampart.summary) assert.match(`${running.summary}\n${jail.summary}`, c.rampart.summary);
    // A refusal names the file and line that decided it.
    if (c.real.start !== 0 || !c.real.sshdRuns)
      assert.ok(
        [...running.findings, ...jail.findings].some((e) => /\/etc\/fail2ban\/jail\.local$/.test(e.path ?? '') && (e.line ?? 0) > 0),
        JSON.stringify(jail.findings),
      );
    if (c.rampart.bantime !== undefined) assert.equal(f.sshdJail?.bantime.value, c.rampart.bantime);
    if (c.rampart.port !== undefined) assert.equal(f.sshdJail?.port.text, c.rampart.port);
    if (c.rampart.actions !== undefined) {
      assert.deepEqual(f.sshdJail?.actions.value, c.rampart.actions);
      assert.deepEqual(
        real.dump.jails.sshd?.actions.map((a) => a.name),
        c.rampart.actions,
      );
    }
  });
}

test('writeRoot never changes the shared template (files a case writes are unlinked first)', (t) => {
  const a = writeRoot({ ...generateRoot(0), files: { 'etc/fail2ban/jail.conf': '[sshd]\n' } });
  const b = writeRoot({ ...generateRoot(0), files: {} });
  t.after(() => [a, b].forEach((d) => rmSync(d, { recursive: true, force: true })));
  assert.equal(readFileSync(join(a, 'etc/fail2ban/jail.conf'), 'utf8'), '[sshd]\n');
  assert.match(readFileSync(join(b, 'etc/fail2ban/jail.conf'), 'utf8'), /\[sshd\]\n\n# To use more aggressive sshd modes/);
});
