import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { collectIds } from '../../src/collect/ids.js';
import { parseOssecConf } from '../../src/collect/parse/ossec.js';
import { auditCoverage, parseAuditRules } from '../../src/collect/parse/audit-rules.js';
import type { IdsFacts } from '../../src/facts/ids.js';
import { makeTree, requireCommands } from '../helpers.js';
import check from '../../src/checks/ids/auditd.js';
import fi from '../../src/checks/ids/file-integrity.js';
import hids from '../../src/checks/ids/hids.js';
import { ctx } from '../helpers.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'ids');
const fixture = (p: string) => readFileSync(join(FIX, p), 'utf8');

async function offline(root: string): Promise<IdsFacts> {
  const f = await collectIds({ target: new FsTarget({ root, name: 'fixture' }), config: DEFAULT_CONFIG, commandTimeoutMs: 10_000 });
  assert.equal(f.state, 'collected');
  return (f as { value: IdsFacts }).value;
}

const ossecCases: { name: string; file: string; managers: string[]; errors: number; placeholder?: string }[] = [
  {
    name: "Wazuh upstream agent template (Wazuh can't run here): placeholder IP is no manager",
    file: 'ossec/wazuh-agent-upstream.conf',
    managers: [],
    errors: 0,
    placeholder: 'IP',
  },
  {
    name: "Wazuh agent config as the installer sets it (Wazuh can't run here), two <ossec_config> blocks, commented address ignored",
    file: 'ossec/wazuh-agent-configured.conf',
    managers: ['10.0.0.5:1514/tcp'],
    errors: 0,
  },
  { name: 'OSSEC 2.x legacy <server-ip>', file: 'ossec/ossec-legacy.conf', managers: ['192.0.2.10:1514/udp'], errors: 0 },
  { name: 'truncated file is invalid', file: 'ossec/broken.conf', managers: [], errors: 1 },
];
for (const c of ossecCases) {
  test(`parseOssecConf: ${c.name}`, () => {
    const p = parseOssecConf(fixture(c.file), '/var/ossec/etc/ossec.conf');
    assert.deepEqual(
      p.managers.map((m) => `${m.address}:${m.port ?? ''}/${m.protocol ?? ''}`),
      c.managers,
    );
    assert.equal(p.errors.length, c.errors, JSON.stringify(p.errors));
    if (c.placeholder) assert.equal(p.placeholders[0]?.address, c.placeholder);
    if (c.managers.length) assert.equal(p.managers[0]?.source.line, c.file.includes('legacy') ? 3 : 10);
  });
}
test('parseOssecConf: binary garbage and mismatched tags give errors, never a throw', () => {
  assert.ok(parseOssecConf('\u0000\u0001<client><server><address>1.2.3.4</server>', 'x').errors.length > 0);
  assert.deepEqual(parseOssecConf('', 'x'), { managers: [], placeholders: [], errors: [] });
});

test('auditctl -l output (audit 3.0 format, recorded form) gives the same coverage as the rules', () => {
  const out = [
    '-w /etc/passwd -p wa -k identity',
    '-w /etc/shadow -p wa -k identity',
    '-w /etc/group -p wa -k identity',
    '-w /etc/gshadow -p wa -k identity',
    '-w /etc/sudoers -p wa -k actions',
    '-w /etc/sudoers.d -p wa -k actions',
    '-w /etc/ssh/sshd_config -p wa -k sshd',
    '-a always,exit -S all -F path=/usr/bin/sudo -F perm=x -F auid>=1000 -F auid!=-1 -F key=privileged',
  ].join('\n');
  const c = auditCoverage(parseAuditRules(out, { command: 'auditctl -l' }).rules);
  assert.ok(Object.values(c.identity).every((r) => r !== null));
  assert.equal(c.privileged.length, 1);
  assert.equal(c.privileged[0]?.source.command, 'auditctl -l');
  const readOnly = auditCoverage(
    parseAuditRules('-w /etc/passwd -p r\n-a never,exit -F path=/etc/shadow -F perm=wa', { command: 'auditctl -l' }).rules,
  );
  assert.equal(readOnly.identity['/etc/passwd'], null, 'a read-only watch does not record changes');
  assert.equal(readOnly.identity['/etc/shadow'], null, 'a never rule records nothing');
});

test('offline root, auditd rules.d from the package examples: coverage keeps rules.d file:line', async (t) => {
  const root = makeTree(
    {
      'etc/audit/audit.rules': fixture('audit-rules/debian-default.fail/audit.rules'),
      'usr/sbin/auditd': '',
      'lib/systemd/system/auditd.service': '',
      'etc/systemd/system/multi-user.target.wants/auditd.service': { symlink: '/lib/systemd/system/auditd.service' },
    },
    t,
  );
  cpSync(join(FIX, 'audit-rules', 'stig-privileged.pass'), join(root, 'etc/audit/rules.d'), { recursive: true });
  const a = (await offline(root)).auditd;
  assert.equal(a.files.from, 'rules.d');
  assert.equal(a.files.auditRulesStale, true);
  assert.equal(a.boot.enabledAtBoot, true);
  assert.deepEqual(a.files.coverage.identity['/etc/passwd']?.source.path, '/etc/audit/rules.d/30-stig.rules');
  assert.equal(a.files.coverage.sshdConfig?.source.path, '/etc/audit/rules.d/40-local.rules');
  assert.equal(a.files.coverage.enableFlag?.value, '2');
  assert.equal(check.evaluate({ ids: await offline(root) }, ctx({ live: false, profile: 'strict' })).status, 'pass');
  writeFileSync(join(root, 'etc/audit/rules.d/35-bad.rules'), '-a always,exit -F\n');
  const bad = (await offline(root)).auditd;
  assert.equal(bad.files.errors[0]?.source.path, '/etc/audit/rules.d/35-bad.rules');
  assert.equal(bad.files.coverage.sshdConfig, null, 'rules after the bad line are not loaded (auditctl -R stops)');
});

test("offline root with a Wazuh agent (Wazuh can't run here: upstream config, package layout)", async (t) => {
  const root = makeTree(
    {
      'var/ossec/etc/ossec.conf': fixture('ossec/wazuh-agent-configured.conf'),
      'var/ossec/bin/wazuh-agentd': '',
      'usr/lib/systemd/system/wazuh-agent.service': '',
      'etc/systemd/system/multi-user.target.wants/wazuh-agent.service': { symlink: '/usr/lib/systemd/system/wazuh-agent.service' },
    },
    t,
  );
  const h = (await offline(root)).hids;
  assert.equal(h.product, 'wazuh-agent');
  assert.equal(h.config.managers[0]?.address, '10.0.0.5');
  assert.equal(h.processes, null);
  assert.equal(hids.evaluate({ ids: await offline(root) }, ctx({ live: false })).status, 'pass');
});

test('real aide --init on a small tree: the collector finds the initialised database (and not before)', async (t) => {
  if (!requireCommands(t, 'aide')) return;
  const root = makeTree(
    {
      'etc/aide/aide.conf': fixture('aide/aide.conf'),
      'etc/aide/aide.conf.d/70_test': '@@define DBDIR /var/lib/aide\n',
      'etc/cron.daily/aide': { content: fixture('aide/cron.daily-aide'), mode: 0o755 },
      'usr/sbin/cron': '',
      'usr/bin/aide': '',
      'var/lib/aide/.keep': '',
      'data/a.txt': 'hello\n',
    },
    t,
  );
  const before = await offline(root);
  assert.equal(before.fileIntegrity.database.path, '/var/lib/aide/aide.db');
  assert.equal(before.fileIntegrity.database.exists, false);
  assert.equal(fi.evaluate({ ids: before }, ctx({ live: false })).status, 'fail');
  const conf = join(root, 'test-aide.conf');
  writeFileSync(conf, `database_out=file:${root}/var/lib/aide/aide.db.new\ngzip_dbout=yes\n${root}/data R\n`);
  const r = spawnSync('aide', ['--init', '--config', conf], { encoding: 'utf8', timeout: 60_000 });
  assert.ok(r.status === 0, r.stderr + r.stdout);
  renameSync(join(root, 'var/lib/aide/aide.db.new'), join(root, 'var/lib/aide/aide.db')); // what aideinit does
  const after = await offline(root);
  assert.equal(after.fileIntegrity.database.exists, true, after.fileIntegrity.database.detail);
  assert.match(after.fileIntegrity.database.detail, /@@begin_db/);
  const v = fi.evaluate({ ids: after }, ctx({ live: false }));
  assert.equal(v.status, 'pass', v.summary);
  writeFileSync(join(root, 'var/lib/aide/aide.db'), 'not a database');
  assert.equal((await offline(root)).fileIntegrity.database.exists, false);
});
