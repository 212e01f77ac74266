// Reports for the renderer tests: built from the catalog (real sections, titles, controls) with
// verdicts chosen to hit every status and every escaping hazard the renderers must survive.
import { REQUIREMENTS } from '../../src/catalog/requirements.js';
import { score, summarize } from '../../src/evaluate/engine.js';
import { REPORT_VERSION, type AppliedWaiver, type Report, type Result } from '../../src/evaluate/report.js';
import type { Status } from '../../src/checks/verdict.js';
import type { Finding } from '../../src/facts/evidence.js';

export const XSS_NAME = '<img src=x onerror=alert(1)>';
/** Sets a window flag if it ever runs: the browser test checks it stays unset. */
export const XSS_FLAG_NAME = '<img src=x onerror="window.__rampartPwned=1">';
export const NEWLINE_PATH = '/app/uploads/evil\nname.txt';

export function finding(over: Partial<Finding> & { message: string }): Finding {
  return { path: null, line: null, command: null, excerpt: null, ...over };
}

export function result(id: string, status: Status, summary: string, findings: Finding[] = [], waiver?: AppliedWaiver): Result {
  const spec = REQUIREMENTS.find((r) => r.id === id);
  if (!spec) throw new Error(`fixture: no requirement ${id}`);
  return {
    id,
    section: spec.section,
    title: spec.title,
    severity: spec.severity,
    kind: spec.kind,
    status,
    summary,
    findings,
    remediation: `Remediation for ${id}`,
    controls: spec.controls,
    ...(waiver ? { waiver } : {}),
  };
}

export function reportOf(results: Result[], over: Partial<Report> = {}): Report {
  return {
    schemaVersion: REPORT_VERSION,
    tool: { name: 'rampart', version: '0.1.0-test' },
    target: { kind: 'local', name: 'web-1', root: '/' },
    profile: 'guide',
    live: true,
    startedAt: '2026-11-28T10:00:00.000Z',
    collectedAt: '2026-11-28T10:00:00.412Z',
    durationMs: 412,
    results,
    summary: summarize(results),
    score: { beforeWaivers: score(results, false), afterWaivers: score(results, true) },
    trend: [],
    ...over,
  };
}

/** Every status, a waived and an expired-waiver result, host strings with markup, newlines, pipes, backticks, formulas. */
export function fixtureReport(): Report {
  const results: Result[] = [
    result('patch.auto-security-updates', 'pass', 'APT::Periodic::Unattended-Upgrade is "1"', [
      finding({
        message: 'APT::Periodic::Unattended-Upgrade is "1"',
        path: '/etc/apt/apt.conf.d/20auto-upgrades',
        line: 2,
        excerpt: 'APT::Periodic::Unattended-Upgrade "1";',
      }),
    ]),
    result('patch.pending-security-updates', 'fail', '2 security updates pending: openssl, libc6', [
      finding({ message: 'openssl 3.0.11-1~deb12u1 → 3.0.15-1~deb12u1', command: 'apt-get -s upgrade' }),
      finding({ message: 'libc6 2.36-9+deb12u3 → 2.36-9+deb12u9', command: 'apt-get -s upgrade' }),
    ]),
    result('patch.weekly-review', 'manual', 'Needs an attestation: weekly patch reviews are scheduled'),
    {
      ...result('ssh.root-login-disabled', 'fail', 'PermitRootLogin is "yes" (first value wins)', [
        finding({ message: 'PermitRootLogin yes', path: '/etc/ssh/sshd_config.d/10-cloud.conf', line: 3, excerpt: 'PermitRootLogin yes' }),
      ]),
      collectMs: 1234,
    },
    {
      ...result(
        'accounts.sudo-for-admin',
        'waived',
        'alice has no sudo rule | uses `doas` instead',
        [finding({ message: 'no sudoers entry for alice', path: '/etc/sudoers', line: 27, excerpt: '%sudo ALL=(ALL:ALL) ALL' })],
        {
          reason: 'Legacy host, decommissioned in Q1 <b>2027</b>',
          approvedBy: 'Security lead',
          expires: '2027-03-31',
          state: 'active',
          source: '/etc/rampart/config.yaml:12',
        },
      ),
      collectMs: 900,
    },
    result(
      'accounts.least-privilege',
      'fail',
      'Waiver expired: 1 user with NOPASSWD: ALL',
      [finding({ message: 'deploy ALL=(ALL) NOPASSWD: ALL', path: '/etc/sudoers.d/deploy', line: 1, excerpt: "=cmd|' /C calc'!A0" })],
      { reason: 'CI deploy user', approvedBy: null, expires: '2026-10-01', state: 'expired', source: '/etc/rampart/config.yaml:20' },
    ),
    result('fs.no-world-writable', 'fail', '3 world-writable entries outside the allowed temp dirs', [
      finding({ message: 'world-writable file, mode 0666, uid 0', path: `/srv/www/${XSS_NAME}`, line: null }),
      finding({ message: 'world-writable file, mode 0666, uid 1000', path: NEWLINE_PATH }),
      finding({ message: 'world-writable file, mode 0777, uid 33', path: `/srv/www/${XSS_FLAG_NAME}` }),
    ]),
    result('fs.mandatory-access-control', 'unknown', 'Could not determine the mac facts: permission denied reading /sys/kernel/security'),
    result('fs.encryption-at-rest', 'na', 'No data volume configured'),
    result('fw.enabled', 'pass', 'ufw is active', [finding({ message: 'Status: active', command: 'ufw status verbose' })]),
    result('fw.allowed-ports-only', 'warn', 'On disk 22/tcp only; running ruleset also allows 8080/tcp', [
      finding({
        message: '-A ufw-user-input -p tcp --dport 8080 -j ACCEPT',
        command: 'iptables-save',
        excerpt: '+8080/tcp ALLOW IN Anywhere',
      }),
      finding({
        message: 'ufw user rules',
        path: '/etc/ufw/user.rules',
        line: 18,
        excerpt: '### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in',
      }),
    ]),
    {
      ...result('ssh.password-auth-disabled', 'pass', 'PasswordAuthentication is "no"', [
        finding({ message: 'PasswordAuthentication no', path: '/etc/ssh/sshd_config', line: 58 }),
      ]),
      collectMs: 250,
    },
    result('ssh.strong-crypto', 'warn', 'Ciphers include `aes128-cbc` | MACs include hmac-sha1', [
      finding({ message: 'ciphers aes128-cbc,aes256-gcm@openssh.com', command: 'sshd -T' }),
    ]),
  ];
  return reportOf(results, {
    trend: [
      {
        runId: 'run-0001',
        startedAt: '2026-11-21T10:00:00.000Z',
        score: 52.5,
        summary: { pass: 3, fail: 6, warn: 1, na: 1, unknown: 1, manual: 1, waived: 0 },
      },
      {
        runId: 'run-0002',
        startedAt: '2026-11-24T10:00:00.000Z',
        score: null,
        summary: { pass: 0, fail: 0, warn: 0, na: 0, unknown: 13, manual: 0, waived: 0 },
      },
      {
        runId: 'run-0003',
        startedAt: '2026-11-26T10:00:00.000Z',
        score: 61.9,
        summary: { pass: 3, fail: 5, warn: 2, na: 1, unknown: 1, manual: 1, waived: 0 },
      },
    ],
  });
}

/** A messy host: `n` world-writable files under one result, plus the fixture's other results. */
export function bigReport(n: number): Report {
  const base = fixtureReport();
  const many: Finding[] = [];
  for (let i = 0; i < n; i++) {
    many.push(
      finding({
        message: `world-writable file, mode 0666, uid ${1000 + (i % 50)}`,
        path: `/srv/data/d${Math.floor(i / 100)}/file-${i}.tmp`,
      }),
    );
  }
  const results = base.results.map((r) =>
    r.id === 'fs.no-world-writable' ? { ...r, summary: `${n} world-writable entries`, findings: many } : r,
  );
  return reportOf(results, { trend: base.trend });
}
