// Compose fixtures collected offline (FsTarget on a temp root), then judged by the docker checks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import nonRoot from '../../src/checks/docker/non-root.js';
import readOnly from '../../src/checks/docker/read-only-rootfs.js';
import capabilities from '../../src/checks/docker/capabilities.js';
import hostIsolation from '../../src/checks/docker/host-isolation.js';
import contentTrust from '../../src/checks/docker/content-trust.js';
import type { Check } from '../../src/checks/define.js';
import type { DockerFacts } from '../../src/facts/docker.js';
import { ctx } from '../helpers.js';
import { composeRoot, dockerFactsAt } from './fixture.js';

const judge = (c: Check, d: DockerFacts) => c.evaluate({ docker: d }, ctx({ live: false, profile: 'strict' }));
const svc = (d: DockerFacts, name: string) => {
  const w = d.workloads.find((x) => x.service === name);
  assert.ok(w, `service ${name} in ${d.workloads.map((x) => x.name).join(', ')}`);
  return w.settings;
};

interface Case {
  name: string;
  verdicts: Partial<Record<'nonRoot' | 'readOnly' | 'capabilities' | 'hostIsolation' | 'contentTrust', string>>;
  facts?: (d: DockerFacts) => void;
}
const CHECKS = { nonRoot, readOnly, capabilities, hostIsolation, contentTrust };

const CASES: Case[] = [
  {
    name: 'lms.pass',
    verdicts: { nonRoot: 'pass', readOnly: 'pass', capabilities: 'pass', contentTrust: 'fail' },
    facts: (d) => {
      assert.deepEqual(
        d.projects.map((p) => [p.name, p.status, p.services]),
        [['app', 'ok', ['app', 'postgres', 'redis']]],
      );
      assert.deepEqual(svc(d, 'app').user, { value: '10001:10001', source: { path: '/app/docker-compose.yml', line: 9 } });
      assert.deepEqual(
        svc(d, 'postgres').mounts.map((m) => `${m.type}:${m.source ?? ''}:${m.target}`),
        ['volume:pgdata:/var/lib/postgresql/data', 'tmpfs::/tmp', 'tmpfs::/run/postgresql'],
      );
      assert.deepEqual(
        svc(d, 'app').baseImages.map((b) => `${b.value}@${b.source.line ?? 0}`),
        ['python:3.12-slim@4'],
      );
      assert.equal(d.workloads.find((w) => w.service === 'app')?.composeSource?.line, 3);
    },
  },
  { name: 'root-user.fail', verdicts: { nonRoot: 'fail', readOnly: 'pass', capabilities: 'pass' } },
  {
    name: 'privileged.fail',
    verdicts: { capabilities: 'fail' },
    facts: (d) => assert.deepEqual(svc(d, 'app').privileged.source, { path: '/app/docker-compose.yml', line: 7 }),
  },
  {
    name: 'cap-add-sys-admin.fail',
    verdicts: { capabilities: 'fail' },
    facts: (d) => assert.deepEqual(svc(d, 'app').capAdd.value, ['NET_BIND_SERVICE', 'SYS_ADMIN']),
  },
  {
    name: 'docker-sock.fail',
    verdicts: { hostIsolation: 'fail', nonRoot: 'pass' },
    facts: (d) =>
      assert.deepEqual(
        svc(d, 'agent').mounts.map((m) => [m.type, m.source, m.readOnly, m.at.line]),
        [
          ['bind', '/var/run/docker.sock', true, 9],
          ['bind', '/etc', true, 10],
        ],
      ),
  },
  { name: 'network-host.fail', verdicts: { hostIsolation: 'fail' }, facts: (d) => assert.equal(svc(d, 'app').pidMode.value, 'host') },
  {
    name: 'override-read-only-off.fail',
    verdicts: { readOnly: 'fail', capabilities: 'pass' },
    facts: (d) => {
      assert.deepEqual(d.projects[0]?.files, ['/app/docker-compose.yml', '/app/docker-compose.override.yml']);
      const s = svc(d, 'app');
      assert.deepEqual(s.readOnly, { value: false, source: { path: '/app/docker-compose.override.yml', line: 3 } });
      assert.deepEqual(s.capAdd.value, ['NET_BIND_SERVICE']);
      // volumes merge by target: the override's /srv/static replaces the base's
      assert.deepEqual(
        s.mounts.map((m) => [m.source, m.target, m.readOnly]),
        [['/app/static-dev', '/srv/static', false]],
      );
    },
  },
  {
    name: 'extends.pass',
    verdicts: { nonRoot: 'pass', readOnly: 'pass', capabilities: 'pass' },
    facts: (d) => {
      assert.deepEqual(svc(d, 'app').user, { value: '1000:1000', source: { path: '/app/base.yml', line: 3 } });
      assert.deepEqual(svc(d, 'worker').readOnly.source, { path: '/app/base.yml', line: 4 });
      assert.equal(svc(d, 'worker').image.value, 'registry.example/lms-app:1.4');
    },
  },
  {
    name: 'extends-cap-add.fail',
    verdicts: { capabilities: 'fail', nonRoot: 'pass' },
    facts: (d) => assert.deepEqual(svc(d, 'app').capAdd, { value: ['SYS_PTRACE'], source: { path: '/app/docker-compose.yml', line: 5 } }),
  },
  {
    name: 'interpolation.pass',
    verdicts: { nonRoot: 'pass' },
    facts: (d) => {
      assert.equal(svc(d, 'app').image.value, 'registry.example/lms-app:1.4');
      assert.equal(svc(d, 'app').user.value, '10001:1000');
      assert.deepEqual(d.projects[0]?.envFile, { path: '/app/.env', variables: ['TAG', 'APP_UID'] });
    },
  },
  {
    name: 'interpolation-missing.unknown',
    verdicts: { nonRoot: 'unknown', readOnly: 'unknown' },
    facts: (d) => {
      assert.equal(d.projects[0]?.status, 'unresolved');
      assert.match(d.projects[0]?.error?.reason ?? '', /required variable TAG is missing: TAG must be set/);
      assert.deepEqual(d.projects[0]?.error?.source, { path: '/app/docker-compose.yml', line: 3 });
    },
  },
  {
    name: 'malformed-yaml.unknown',
    verdicts: { nonRoot: 'unknown' },
    facts: (d) => {
      assert.equal(d.projects[0]?.status, 'invalid');
      assert.match(d.projects[0]?.error?.reason ?? '', /^YAML/);
      assert.ok(d.projects[0]?.error?.source.line);
    },
  },
  {
    name: 'wrong-type.unknown',
    verdicts: { readOnly: 'unknown' },
    facts: (d) =>
      assert.deepEqual(d.projects[0]?.error, {
        reason: 'services.app.cap_drop contains an invalid type, it should be an array',
        source: { path: '/app/docker-compose.yml', line: 6 },
      }),
  },
  {
    name: 'dockerfile-user.pass',
    verdicts: { nonRoot: 'pass' },
    facts: (d) => {
      const s = svc(d, 'app');
      assert.equal(s.userFrom, 'dockerfile');
      assert.deepEqual([s.user.value, s.user.source.path, s.user.source.line], ['lms', '/app/src/docker/Dockerfile', 7]);
      assert.deepEqual(
        s.baseImages.map((b) => b.value),
        ['python:3.12-slim'],
      );
    },
  },
  { name: 'dockerfile-root.fail', verdicts: { nonRoot: 'fail' }, facts: (d) => assert.equal(svc(d, 'app').user.value, null) },
];

for (const c of CASES) {
  test(`compose fixture ${c.name}`, async (t) => {
    const d = await dockerFactsAt(composeRoot(t, c.name));
    c.facts?.(d);
    for (const [k, want] of Object.entries(c.verdicts)) {
      const v = judge(CHECKS[k as keyof typeof CHECKS], d);
      assert.equal(v.status, want, `${k}: ${v.summary}`);
    }
  });
}

test('no compose files and no docker: the docker fact is absent (checks na)', async (t) => {
  const root = composeRoot(t, 'lms.pass');
  const { collectDocker } = await import('../../src/collect/docker.js');
  const { FsTarget } = await import('../../src/target/fs-target.js');
  const { DEFAULT_CONFIG } = await import('../../src/config/schema.js');
  const f = await collectDocker({
    target: new FsTarget({ root, name: 'x' }),
    config: { ...DEFAULT_CONFIG, compose_search_dirs: ['/nowhere'] },
    commandTimeoutMs: 1000,
  });
  assert.equal(f.state, 'absent');
});
