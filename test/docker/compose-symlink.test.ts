// Symlinked compose files and project directories (issue 9 §7): followed inside the root, so the
// project is judged (it used to be skipped: every docker.* na, exit 0); a link that leads out of an
// offline root, nowhere, or round in a loop is a project that cannot be seen (unknown, saying why),
// and nothing of this machine's files outside the root is read. Built from the compose fixtures
// (privileged.fail, interpolation.pass), rearranged per case; docker-compose 1.29 is the reference.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import capabilities from '../../src/checks/docker/capabilities.js';
import nonRoot from '../../src/checks/docker/non-root.js';
import readOnly from '../../src/checks/docker/read-only-rootfs.js';
import type { Check } from '../../src/checks/define.js';
import type { DockerFacts } from '../../src/facts/docker.js';
import { collectDocker } from '../../src/collect/docker.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { ctx, requireCommands, runCli } from '../helpers.js';
import { COMPOSE_FIXTURES, composeRoot, dockerFactsAt } from './fixture.js';

const NOW = '2026-12-01T00:00:00Z';
const judge = (c: Check, d: DockerFacts) => c.evaluate({ docker: d }, ctx({ live: false, profile: 'strict' }));

function composeConfig(
  cwd: string,
  file: string,
): { ok: true; services: Record<string, Record<string, unknown>> } | { ok: false; stderr: string } {
  const r = spawnSync('docker-compose', ['-f', file, 'config'], { cwd, encoding: 'utf8', env: { PATH: '/usr/bin:/bin' }, timeout: 60000 });
  if (r.status !== 0) return { ok: false, stderr: r.stderr };
  return { ok: true, services: (parse(r.stdout) as { services: Record<string, Record<string, unknown>> }).services };
}

/** privileged.fail with its compose file renamed app.yml and docker-compose.yml -> app.yml. */
function linkedFileRoot(t: TestContext): string {
  const root = composeRoot(t, 'privileged.fail');
  renameSync(join(root, 'app/docker-compose.yml'), join(root, 'app/app.yml'));
  symlinkSync('app.yml', join(root, 'app/docker-compose.yml'));
  return root;
}

/** A directory on this machine, outside any root, holding a weak compose file with a marker image. */
function canary(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-canary-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const weak = 'services:\n  app:\n    image: canary.example/escaped:6.6.6\n    privileged: true\n';
  writeFileSync(join(dir, 'app.yml'), weak);
  writeFileSync(join(dir, 'docker-compose.yml'), weak);
  return dir;
}

test('a compose file that is a symlink (docker-compose.yml -> app.yml) is followed: the privileged service fails, evidence names app.yml', async (t) => {
  const d = await dockerFactsAt(linkedFileRoot(t));
  assert.deepEqual(
    d.projects.map((p) => [p.name, p.status, p.files, p.services]),
    [['app', 'ok', ['/app/docker-compose.yml'], ['app']]],
  );
  assert.deepEqual(d.projects[0]?.links, [{ path: '/app/docker-compose.yml', target: '/app/app.yml' }]);
  const v = judge(capabilities, d);
  assert.equal(v.status, 'fail', v.summary);
  assert.ok(
    v.findings.some((f) => f.path === '/app/app.yml' && f.line === 7 && /privileged/.test(f.message)),
    JSON.stringify(v.findings),
  );
  assert.ok(!v.findings.some((f) => f.path === '/app/docker-compose.yml'), 'evidence names the real file, not the link');
  assert.equal(judge(nonRoot, d).status, 'pass');
});

test('the audit of a root whose only compose file is a symlink fails docker.capabilities (was na, exit 0)', async (t) => {
  const root = linkedFileRoot(t);
  const r = await runCli(['audit', '--root', root, '--only', 'docker.capabilities', '--format', 'json', '--no-store', '--now', NOW]);
  const res = (JSON.parse(r.stdout) as { results: { id: string; status: string; findings: { path: string | null }[] }[] }).results;
  assert.equal(res[0]?.status, 'fail', r.stdout);
  assert.ok(res[0]?.findings.some((f) => f.path === '/app/app.yml'));
  assert.equal(r.code, 1, r.stderr);
});

test("docker-compose 1.29 agrees: -f LINK reads the target, with the link's directory as the project directory (.env)", async (t) => {
  if (!requireCommands(t, 'docker-compose')) return;
  // interpolation.pass, its compose file moved to /shared/app.yml; /app keeps .env and the link.
  const root = composeRoot(t, 'interpolation.pass');
  mkdirSync(join(root, 'shared'));
  renameSync(join(root, 'app/docker-compose.yml'), join(root, 'shared/app.yml'));
  writeFileSync(join(root, 'shared/.env'), 'TAG=wrong-dir\nAPP_UID=0\n');
  symlinkSync('../shared/app.yml', join(root, 'app/docker-compose.yml'));
  const ref = composeConfig(join(root, 'app'), 'docker-compose.yml');
  assert.ok(ref.ok, ref.ok ? '' : ref.stderr);
  const d = await dockerFactsAt(root);
  const w = d.workloads.find((x) => x.service === 'app');
  assert.ok(w, JSON.stringify(d.projects));
  assert.equal(w.settings.image.value, ref.services.app?.image);
  assert.equal(w.settings.user.value, ref.services.app?.user);
  assert.equal(w.settings.user.value, '10001:1000');
  assert.deepEqual(d.projects[0]?.envFile?.path, '/app/.env');
  assert.deepEqual(w.settings.user.source, { path: '/shared/app.yml', line: 4 });
  // privileged.fail through a link: compose sees privileged: true, as the collector does.
  const p = linkedFileRoot(t);
  const pref = composeConfig(join(p, 'app'), 'docker-compose.yml');
  assert.ok(pref.ok && pref.services.app?.privileged === true, JSON.stringify(pref));
  assert.equal((await dockerFactsAt(p)).workloads[0]?.settings.privileged.value, true);
});

test('a symlinked project directory (/srv/lms -> /data/releases/lms) is searched: evidence names the real file', async (t) => {
  const root = composeRoot(t, 'privileged.fail');
  mkdirSync(join(root, 'data/releases'), { recursive: true });
  mkdirSync(join(root, 'srv'));
  renameSync(join(root, 'app'), join(root, 'data/releases/lms'));
  symlinkSync('/data/releases/lms', join(root, 'srv/lms')); // absolute: the root's /data, not this machine's
  const d = await dockerFactsAt(root);
  assert.deepEqual(
    d.projects.map((p) => [p.name, p.status, p.files]),
    [['lms', 'ok', ['/srv/lms/docker-compose.yml']]],
  );
  const v = judge(capabilities, d);
  assert.equal(v.status, 'fail', v.summary);
  assert.ok(
    v.findings.some((f) => f.path === '/data/releases/lms/docker-compose.yml' && f.line === 7),
    JSON.stringify(v.findings),
  );
});

test('links out of the root (absolute, relative, a project dir) never read the canary outside: unknown, saying why', async (t) => {
  const out = canary(t);
  const root = composeRoot(t, 'privileged.fail');
  rmSync(join(root, 'app/docker-compose.yml'));
  symlinkSync(join(out, 'app.yml'), join(root, 'app/docker-compose.yml'));
  mkdirSync(join(root, 'opt/x'), { recursive: true });
  symlinkSync(`${'../'.repeat(12)}${out.slice(1)}/app.yml`, join(root, 'opt/x/compose.yaml'));
  mkdirSync(join(root, 'srv'));
  symlinkSync(out, join(root, 'srv/lms'));
  // Without Docker on the host, a dangling directory link is any link, not a project that may be there.
  assert.deepEqual((await dockerFactsAt(root)).projects.map((p) => p.files[0]).sort(), ['/app/docker-compose.yml', '/opt/x/compose.yaml']);
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  writeFileSync(join(root, 'usr/bin/dockerd'), '');
  const d = await dockerFactsAt(root);
  const json = JSON.stringify(d);
  assert.doesNotMatch(json, /canary\.example|escaped/, 'nothing of the file outside the root');
  assert.deepEqual(d.workloads, []);
  assert.deepEqual(d.projects.map((p) => [p.files[0], p.status]).sort(), [
    ['/app/docker-compose.yml', 'unreadable'],
    ['/opt/x/compose.yaml', 'unreadable'],
    ['/srv/lms', 'unreadable'],
  ]);
  for (const p of d.projects)
    assert.match(p.error?.reason ?? '', /symbolic link that cannot be followed: its target does not exist inside the root/);
  for (const c of [capabilities, nonRoot, readOnly]) {
    const v = judge(c, d);
    assert.equal(v.status, 'unknown', `${c.id}: ${v.summary}`);
    assert.match(v.summary, /\/app\/docker-compose\.yml/);
  }
});

test(
  'symlink loops give a clear message and no hang: a compose-file loop, a self-linked dir, a link to an ancestor',
  { timeout: 20000 },
  async (t) => {
    const root = composeRoot(t, 'privileged.fail');
    renameSync(join(root, 'app/docker-compose.yml'), join(root, 'app/real.yml'));
    mkdirSync(join(root, 'opt/loop'), { recursive: true });
    symlinkSync('other.yml', join(root, 'opt/loop/docker-compose.yml'));
    symlinkSync('docker-compose.yml', join(root, 'opt/loop/other.yml'));
    mkdirSync(join(root, 'srv'));
    symlinkSync('/srv/self', join(root, 'srv/self'));
    mkdirSync(join(root, 'app/deploy'));
    symlinkSync('..', join(root, 'app/deploy/up')); // /app/deploy/up -> /app: searched once, not round and round
    symlinkSync('../real.yml', join(root, 'app/deploy/docker-compose.yml'));
    mkdirSync(join(root, 'usr/bin'), { recursive: true });
    writeFileSync(join(root, 'usr/bin/dockerd'), ''); // Docker installed: a dangling link in a search dir may hide a project
    const d = await dockerFactsAt(root);
    assert.deepEqual(
      d.projects.map((p) => [p.files[0], p.status]),
      [
        ['/app/deploy/docker-compose.yml', 'ok'],
        ['/opt/loop/docker-compose.yml', 'unreadable'],
        ['/srv/self', 'unreadable'],
      ],
    );
    assert.match(d.projects[1]?.error?.reason ?? '', /too many levels of symbolic links \(a loop\)/);
    assert.match(
      d.projects[2]?.error?.reason ?? '',
      /"\/srv\/self" is a symbolic link that cannot be followed: too many levels of symbolic links/,
    );
    const v = judge(capabilities, d);
    assert.equal(v.status, 'fail', 'the project that can be read still fails');
    assert.ok(v.findings.some((f) => f.path === '/app/real.yml' && f.line === 7));
  },
);

test('live: a symlinked compose file and project dir in a search dir are followed; a loop is unreadable', { timeout: 20000 }, async (t) => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'rampart-live-compose-')));
  t.after(() => rmSync(base, { recursive: true, force: true }));
  const search = join(base, 'srv');
  mkdirSync(join(base, 'releases/lms'), { recursive: true });
  mkdirSync(join(search, 'app'), { recursive: true });
  writeFileSync(join(base, 'releases/lms/app.yml'), readFileSync(join(COMPOSE_FIXTURES, 'privileged.fail/app/docker-compose.yml')));
  symlinkSync('app.yml', join(base, 'releases/lms/docker-compose.yml'));
  symlinkSync(join(base, 'releases/lms'), join(search, 'lms'));
  symlinkSync('docker-compose.yml', join(search, 'app/docker-compose.yml'));
  const config = { ...DEFAULT_CONFIG, compose_search_dirs: [search], docker_host: `unix://${join(base, 'no.sock')}` };
  const f = await collectDocker({ target: new FsTarget({ name: 'live' }), config, commandTimeoutMs: 2000 });
  assert.equal(f.state, 'collected', JSON.stringify(f));
  const d = (f as { value: DockerFacts }).value;
  assert.deepEqual(
    d.projects.map((p) => [p.files[0], p.status]),
    [
      [join(search, 'app/docker-compose.yml'), 'unreadable'],
      [join(search, 'lms/docker-compose.yml'), 'ok'],
    ],
  );
  assert.match(d.projects[0]?.error?.reason ?? '', /too many levels of symbolic links/);
  const v = judge(capabilities, d);
  assert.equal(v.status, 'fail', v.summary);
  assert.ok(
    v.findings.some((x) => x.path === join(base, 'releases/lms/app.yml') && x.line === 7),
    JSON.stringify(v.findings),
  );
});

test('a directory reached twice (a link found first, deeper) is one project per compose file, and its deeper projects are still found', async (t) => {
  const root = composeRoot(t, 'privileged.fail');
  mkdirSync(join(root, 'app/a'));
  mkdirSync(join(root, 'app/b/sub'), { recursive: true });
  renameSync(join(root, 'app/docker-compose.yml'), join(root, 'app/b/docker-compose.yml'));
  writeFileSync(join(root, 'app/b/sub/docker-compose.yml'), readFileSync(join(root, 'app/b/docker-compose.yml')));
  symlinkSync('../b', join(root, 'app/a/link')); // /app/a/link is at depth 3: its sub/ is past the search depth
  const d = await dockerFactsAt(root);
  assert.deepEqual(
    d.projects.map((p) => p.files[0]),
    ['/app/a/link/docker-compose.yml', '/app/b/sub/docker-compose.yml'],
  );
  assert.deepEqual(
    d.projects.map((p) => p.links),
    [[{ path: '/app/a/link/docker-compose.yml', target: '/app/b/docker-compose.yml' }], undefined],
  );
});

test('a compose-named link to a device or a FIFO is read and refused, saying so (never skipped into na)', { timeout: 20000 }, async (t) => {
  const root = composeRoot(t, 'privileged.fail');
  rmSync(join(root, 'app/docker-compose.yml'));
  mkdirSync(join(root, 'dev'));
  spawnSync('mkfifo', [join(root, 'dev/fifo')]);
  symlinkSync('/dev/fifo', join(root, 'app/docker-compose.yml'));
  const d = await dockerFactsAt(root);
  assert.deepEqual(
    d.projects.map((p) => p.status),
    ['unreadable'],
  );
  assert.match(d.projects[0]?.error?.reason ?? '', /is not a regular file/);
  assert.equal(judge(capabilities, d).status, 'unknown');
});
