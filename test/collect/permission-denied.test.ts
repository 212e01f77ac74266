// Permission denied is not "absent" (issue 9 §5): a stat that fails with EACCES (a directory on the
// way that cannot be searched: /var/ossec 0750, /var/lib/aide, /root 0700) leaves whether the path
// exists unknown. The verdict that depends on it is unknown naming the path, never a fail "does not
// exist" nor a pass. A target that answers denied below one directory, as an unprivileged run sees it,
// on the project's fixtures (the real unprivileged run: test/e2e/unprivileged.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import type { FsError, ReadOptions, Target } from '../../src/target/types.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { exists, firstExisting, PermissionDenied, probeFirst } from '../../src/collect/paths.js';
import { collectFacts } from '../../src/collect/run.js';
import { COLLECTORS } from '../../src/collect/index.js';
import { runCheck } from '../../src/evaluate/engine.js';
import { collectDocker } from '../../src/collect/docker.js';
import { collectLogging } from '../../src/collect/logging.js';
import type { FactsSnapshot, TargetFactKey } from '../../src/facts/index.js';
import type { Fact } from '../../src/facts/fact.js';
import type { Check } from '../../src/checks/define.js';
import hids from '../../src/checks/ids/hids.js';
import fileIntegrity from '../../src/checks/ids/file-integrity.js';
import centralized from '../../src/checks/log/centralized.js';
import securityEvents from '../../src/checks/log/security-events.js';
import imageScanning from '../../src/checks/docker/image-scanning.js';
import { ctx, makeTree, snapshotOf } from '../helpers.js';
import { caseRoot } from '../logging/fixture.js';
import { composeRoot } from '../docker/fixture.js';

const IDS = join(import.meta.dirname, '..', 'fixtures', 'ids');

/**
 * The root as an unprivileged user sees it when `path` is mode 0700/0600 root's: its own stat works,
 * listing or reading it is EACCES, and so is every stat below it (the directory cannot be searched).
 */
function denyingBelow(root: string, path: string): Target {
  const base = new FsTarget({ root, name: 'denied' });
  const below = (p: string) => p.startsWith(`${path}/`);
  const no = (p: string): Promise<FsError> =>
    Promise.resolve({ ok: false, error: 'denied', message: `${JSON.stringify(p)} permission denied` });
  const self = (p: string) => p === path || below(p);
  return Object.assign(Object.create(base) as FsTarget, {
    stat: (p: string) => (below(p) ? no(p) : base.stat(p)),
    lstat: (p: string) => (below(p) ? no(p) : base.lstat(p)),
    realPath: (p: string) => (below(p) ? no(p) : base.realPath(p)),
    hostPath: (p: string) => (below(p) ? no(p) : base.hostPath(p)),
    readText: (p: string, o?: ReadOptions) => (self(p) ? no(p) : base.readText(p, o)),
    readBytes: (p: string, o?: ReadOptions) => (self(p) ? no(p) : base.readBytes(p, o)),
    list: (p: string) => (self(p) ? no(p) : base.list(p)),
  });
}

async function judged(target: Target, keys: TargetFactKey[], check: Check) {
  const { facts } = await collectFacts(COLLECTORS, keys, { target, config: DEFAULT_CONFIG, commandTimeoutMs: 5000 }, 30_000);
  const snap: FactsSnapshot = { ...snapshotOf({}, false), facts };
  return { facts, verdict: runCheck(check, snap, ctx({ live: false })) };
}

function valueOf<T>(f: Fact<T>): T {
  if (f.state !== 'collected') throw new Error(`not collected: ${JSON.stringify(f)}`);
  return f.value;
}

const DPKG = (pkgs: string[]) =>
  pkgs.map((p) => `Package: ${p}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 4.7.0-1\n`).join('\n');

test('firstExisting / exists / probeFirst: a denied stat is neither absent nor skipped', async (t) => {
  const root = makeTree({ 'usr/bin/tool': '', 'opt/vendor/bin/tool': '' }, t);
  const d = denyingBelow(root, '/opt/vendor');
  assert.deepEqual(await probeFirst(d, ['/opt/vendor/bin/tool', '/usr/bin/tool']), {
    path: '/usr/bin/tool',
    denied: ['/opt/vendor/bin/tool'],
  });
  await assert.rejects(
    firstExisting(d, ['/opt/vendor/bin/tool', '/usr/bin/tool']),
    (e: unknown) =>
      e instanceof PermissionDenied &&
      e.path === '/opt/vendor/bin/tool' &&
      /permission denied: whether it exists cannot be told/.test(e.message),
  );
  await assert.rejects(exists(d, '/opt/vendor/bin/tool'), PermissionDenied);
  assert.equal(await firstExisting(d, ['/usr/bin/tool', '/opt/vendor/bin/tool']), '/usr/bin/tool', 'a hit before the denied path decides');
  assert.equal(await exists(d, '/usr/bin/missing'), false);
});

test('Wazuh under a 0750 /var/ossec without a package: ids.hids is unknown naming the binary (was fail "no agent installed")', async (t) => {
  const root = makeTree(
    {
      'var/ossec/etc/ossec.conf': readFileSync(join(IDS, 'ossec/wazuh-agent-configured.conf'), 'utf8'),
      'var/ossec/bin/wazuh-agentd': '',
      'usr/lib/systemd/system/wazuh-agent.service': '',
      'etc/systemd/system/multi-user.target.wants/wazuh-agent.service': { symlink: '/usr/lib/systemd/system/wazuh-agent.service' },
      'var/lib/dpkg/status': DPKG(['base-files']),
    },
    t,
  );
  const { facts, verdict } = await judged(denyingBelow(root, '/var/ossec'), ['ids'], hids);
  assert.equal(facts.ids?.state, 'failed');
  assert.equal(verdict.status, 'unknown', verdict.summary);
  assert.match(verdict.summary, /"\/var\/ossec\/bin\/wazuh-agentd" permission denied/);
  assert.doesNotMatch(verdict.summary, /internal error|not installed|does not exist/);
  // The same host seen by root: the agent is there and the check decides.
  assert.equal((await judged(new FsTarget({ root, name: 'root' }), ['ids'], hids)).verdict.status, 'pass');
});

test('Wazuh with its package: the package decides and the denied /var/ossec binary does not fail the ids facts', async (t) => {
  const root = makeTree({ 'var/ossec/bin/wazuh-agentd': '', 'var/lib/dpkg/status': DPKG(['wazuh-agent']) }, t);
  const { facts, verdict } = await judged(denyingBelow(root, '/var/ossec'), ['ids'], hids);
  assert.equal(facts.ids?.state, 'collected', JSON.stringify(facts.ids));
  assert.equal(verdict.status, 'unknown', 'ossec.conf cannot be read');
  assert.match(verdict.summary, /\/var\/ossec\/etc\/ossec\.conf cannot be read/);
});

function aideRoot(t: Parameters<typeof makeTree>[1]): string {
  return makeTree(
    {
      'etc/aide/aide.conf': readFileSync(join(IDS, 'aide/aide.conf'), 'utf8'),
      'etc/aide/aide.conf.d/70_test': '@@define DBDIR /var/lib/aide\n',
      'etc/cron.daily/aide': { content: readFileSync(join(IDS, 'aide/cron.daily-aide'), 'utf8'), mode: 0o755 },
      'usr/sbin/cron': '',
      'usr/bin/aide': '',
      'var/lib/aide/aide.db': '@@begin_db\n',
      'var/lib/dpkg/status': DPKG(['aide', 'aide-common', 'cron']),
    },
    t,
  );
}

test('AIDE database under an unsearchable /var/lib/aide: ids.file-integrity is unknown naming it (was fail "not initialised")', async (t) => {
  const root = aideRoot(t);
  const { facts, verdict } = await judged(denyingBelow(root, '/var/lib/aide'), ['ids'], fileIntegrity);
  assert.equal(facts.ids?.state === 'collected' && facts.ids.value.fileIntegrity.database.exists, null);
  assert.equal(verdict.status, 'unknown', verdict.summary);
  assert.match(verdict.summary, /whether its database \/var\/lib\/aide\/aide\.db exists cannot be told/);
  assert.equal(
    (await judged(new FsTarget({ root, name: 'root' }), ['ids'], fileIntegrity)).verdict.status,
    'pass',
    'root sees the database',
  );
});

test('an aide.conf.d that cannot be listed may set database_in: the configuration is unreadable (was fail "sets no database_in")', async (t) => {
  const root = aideRoot(t);
  const { verdict } = await judged(denyingBelow(root, '/etc/aide/aide.conf.d'), ['ids'], fileIntegrity);
  assert.equal(verdict.status, 'unknown', verdict.summary);
  assert.match(verdict.summary, /"\/etc\/aide\/aide\.conf\.d" permission denied/);
});

test('filebeat with an unreadable filebeat.yml: log.centralized is unknown naming it (was fail "no remote destination")', async (t) => {
  const root = caseRoot(t, 'filebeat-upstream.fail');
  const f = await collectLogging({
    target: denyingBelow(root, '/etc/filebeat/filebeat.yml'),
    config: DEFAULT_CONFIG,
    commandTimeoutMs: 5000,
  });
  assert.equal(f.state, 'collected');
  const v = centralized.evaluate({ logging: valueOf(f) }, ctx({ live: false }));
  assert.equal(v.status, 'unknown', v.summary);
  assert.match(v.summary, /filebeat: "\/etc\/filebeat\/filebeat\.yml" permission denied/);
  const seen = await collectLogging({ target: new FsTarget({ root, name: 'root' }), config: DEFAULT_CONFIG, commandTimeoutMs: 5000 });
  assert.equal(centralized.evaluate({ logging: valueOf(seen) }, ctx({ live: false })).status, 'fail', 'read, it ships to localhost');
});

test('a Wazuh monitor under a 0750 /var/ossec without a package: the logging facts fail naming it (log.security-events unknown)', async (t) => {
  const root = caseRoot(t, 'wazuh-agent.pass');
  const { verdict } = await judged(denyingBelow(root, '/var/ossec'), ['logging'], securityEvents);
  assert.equal(verdict.status, 'unknown', verdict.summary);
  assert.match(verdict.summary, /"\/var\/ossec\/bin\/wazuh-agentd" permission denied/);
});

test('docker scout under a 0700 /root or home: docker.image-scanning is unknown naming the path (was manual "no scanner installed")', async (t) => {
  for (const dir of ['/root', '/home/alice']) {
    const root = composeRoot(t, 'lms.pass');
    mkdirSync(join(root, dir), { recursive: true });
    const target = denyingBelow(root, dir);
    const f = await collectDocker({ target, config: DEFAULT_CONFIG, commandTimeoutMs: 5000 });
    assert.equal(f.state, 'collected');
    const v = imageScanning.evaluate({ docker: valueOf(f) }, ctx({ live: false }));
    assert.equal(v.status, 'unknown', `${dir}: ${v.summary}`);
    assert.ok(
      v.findings.some((x) => x.path === `${dir}/.docker/cli-plugins/docker-scout`),
      JSON.stringify(v.findings),
    );
    const seen = await collectDocker({ target: new FsTarget({ root, name: 'root' }), config: DEFAULT_CONFIG, commandTimeoutMs: 5000 });
    assert.equal(
      imageScanning.evaluate({ docker: valueOf(seen) }, ctx({ live: false })).status,
      'manual',
      `${dir}: seen, nothing is there`,
    );
  }
});
