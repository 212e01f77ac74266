// Real component: a private dockerd (own data-root, exec-root and socket; no iptables, no bridge),
// containers started with and without the hardening flags, the live collector reading the Engine API
// over config.docker_host, and the checks' verdicts on what it sees.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, copyFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { collectDocker } from '../../src/collect/docker.js';
import { dockerGet } from '../../src/collect/docker-api.js';
import type { DockerFacts, DockerWorkload } from '../../src/facts/docker.js';
import nonRoot from '../../src/checks/docker/non-root.js';
import readOnly from '../../src/checks/docker/read-only-rootfs.js';
import capabilities from '../../src/checks/docker/capabilities.js';
import hostIsolation from '../../src/checks/docker/host-isolation.js';
import { ctx, hasCommand, isRoot } from '../helpers.js';

const DOCKER = '/usr/bin/docker'; // the Debian client (API 1.41), not /usr/local/bin/docker
const IMAGE = 'rampart-test/busybox:1';
const usable = hasCommand('dockerd') && existsSync(DOCKER) && existsSync('/bin/busybox') && isRoot();
let tmp = '';
let sock = '';
let daemon: ChildProcess | null = null;
let driver = '';
let facts: DockerFacts | null = null;

const docker = (...args: string[]) =>
  execFileSync(DOCKER, ['-H', `unix://${sock}`, ...args], { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).trim();

async function startDaemon(storage: string): Promise<boolean> {
  const log = join(tmp, `dockerd-${storage}.log`);
  writeFileSync(log, '');
  daemon = spawn(
    'dockerd',
    [
      '--data-root',
      join(tmp, 'data'),
      '--exec-root',
      join(tmp, 'exec'),
      '--pidfile',
      join(tmp, 'docker.pid'),
      '-H',
      `unix://${sock}`,
      '--iptables=false',
      '--bridge=none',
      `--storage-driver=${storage}`,
    ],
    { stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')] },
  );
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 500));
    if (daemon.exitCode !== null) return false;
    const r = await dockerGet(new FsTarget({ name: 'local' }), sock, '/_ping', 1000);
    if (r.ok) return true;
  }
  return false;
}

async function stopDaemon(): Promise<void> {
  const d = daemon;
  if (!d || d.exitCode !== null) return;
  const exited = new Promise((r) => d.once('exit', r));
  d.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15000))]);
  if (d.exitCode === null) d.kill('SIGKILL');
}

/** dockerd leaves its network namespace (exec-root/netns/default) and overlay mounts behind. */
function unmountUnder(dir: string): void {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(dir))
    .sort()
    .reverse();
  for (const m of mounts) {
    try {
      execFileSync('umount', ['-l', m], { stdio: 'ignore' });
    } catch {
      /* already gone */
    }
  }
}

before(async () => {
  if (!usable) return;
  tmp = mkdtempSync(join(tmpdir(), 'rampart-dockerd-'));
  sock = join(tmp, 'docker.sock');
  // overlay2 first (this kernel has overlay), vfs when it cannot run.
  for (const s of ['overlay2', 'vfs']) {
    if (await startDaemon(s)) {
      driver = s;
      break;
    }
    await stopDaemon();
  }
  if (!driver)
    throw new Error(
      `dockerd did not answer /_ping on ${sock} with overlay2 or vfs: ${readFileSync(join(tmp, 'dockerd-vfs.log'), 'utf8').split('\n').slice(-5).join(' | ')}`,
    );
  const root = join(tmp, 'rootfs');
  mkdirSync(join(root, 'bin'), { recursive: true });
  copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
  for (const l of ['sh', 'sleep']) symlinkSync('busybox', join(root, 'bin', l));
  execFileSync('tar', ['-C', root, '-cf', join(tmp, 'rootfs.tar'), '.']);
  docker('import', join(tmp, 'rootfs.tar'), IMAGE);

  const composeDir = join(tmp, 'lms');
  mkdirSync(composeDir);
  writeFileSync(
    join(composeDir, 'docker-compose.yml'),
    `services:\n  app:\n    image: ${IMAGE}\n    user: "1000"\n    read_only: true\n    cap_drop: [ALL]\n    security_opt: [no-new-privileges:true]\n    network_mode: none\n`,
  );
  const net = ['--network', 'none'];
  docker(
    'run',
    '-d',
    '--name',
    'hardened',
    '--user',
    '1000',
    '--read-only',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges:true',
    ...net,
    IMAGE,
    'sleep',
    '600',
  );
  docker('run', '-d', '--name', 'defaults', ...net, IMAGE, 'sleep', '600');
  docker('run', '-d', '--name', 'sysadmin', '--cap-add', 'SYS_ADMIN', ...net, IMAGE, 'sleep', '600');
  docker('run', '-d', '--name', 'sock', '-v', `${sock}:/var/run/docker.sock`, ...net, IMAGE, 'sleep', '600');
  // --privileged cannot start on this VM (runc: "unable to apply caps: operation not permitted", the
  // bounding set lacks CAP_SYS_RESOURCE); a created container has the same inspect data and is judged.
  docker('create', '--name', 'privileged', '--privileged', ...net, IMAGE, 'sleep', '600');
  // A compose-labelled container that runs without --read-only although its compose file says read_only: true.
  docker(
    'run',
    '-d',
    '--name',
    'lms_app_1',
    '--user',
    '1000',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges:true',
    ...net,
    '--label',
    'com.docker.compose.project=lms',
    '--label',
    'com.docker.compose.service=app',
    '--label',
    `com.docker.compose.project.config_files=${join(composeDir, 'docker-compose.yml')}`,
    IMAGE,
    'sleep',
    '600',
  );

  const f = await collectDocker({
    target: new FsTarget({ name: 'live' }),
    config: { ...DEFAULT_CONFIG, docker_host: `unix://${sock}`, compose_search_dirs: [], compose_files: [] },
    commandTimeoutMs: 10000,
  });
  assert.equal(f.state, 'collected', JSON.stringify(f));
  facts = (f as { value: DockerFacts }).value;
});

after(async () => {
  if (!tmp || process.env.KEEP_DOCKERD) return;
  try {
    if (daemon && daemon.exitCode === null) docker('rm', '-f', 'hardened', 'defaults', 'sysadmin', 'sock', 'privileged', 'lms_app_1');
  } catch {
    /* the daemon may be gone already */
  }
  await stopDaemon();
  unmountUnder(tmp);
  rmSync(tmp, { recursive: true, force: true });
});

const byName = (n: string): DockerWorkload => {
  const w = facts?.workloads.find((x) => x.container?.name === n);
  assert.ok(w, `container ${n} in ${facts?.workloads.map((x) => x.name).join(', ')}`);
  return w;
};
const only = (n: string): DockerFacts => ({ ...(facts as DockerFacts), workloads: [byName(n)], projects: [] });
const live = ctx({ live: true, profile: 'strict' });

test('real dockerd: the engine answers on config.docker_host', (t) => {
  if (!usable) return t.skip('needs dockerd, /usr/bin/docker, /bin/busybox and root');
  assert.equal(facts?.engine.state, 'running', facts?.engine.detail);
  assert.match(facts?.engine.version ?? '', /^20\.10/);
  assert.ok(driver === 'overlay2' || driver === 'vfs');
});

const CASES: { container: string; check: typeof nonRoot; status: string; summary: RegExp }[] = [
  { container: 'hardened', check: nonRoot, status: 'pass', summary: /"1000" \(Config.User\)/ },
  { container: 'hardened', check: readOnly, status: 'pass', summary: /read-only/ },
  { container: 'hardened', check: capabilities, status: 'pass', summary: /drop ALL/ },
  { container: 'defaults', check: nonRoot, status: 'fail', summary: /root \(no user set\)/ },
  { container: 'defaults', check: readOnly, status: 'fail', summary: /writable root/ },
  { container: 'defaults', check: capabilities, status: 'fail', summary: /cap_drop not set/ },
  { container: 'sysadmin', check: capabilities, status: 'fail', summary: /cap_add SYS_ADMIN/ },
  { container: 'privileged', check: capabilities, status: 'fail', summary: /privileged: true/ },
  { container: 'sock', check: hostIsolation, status: 'fail', summary: /mounts the Docker socket/ },
];
for (const c of CASES) {
  test(`real dockerd: ${c.check.id} ${c.status} for container ${c.container}`, (t) => {
    if (!usable) return t.skip('needs dockerd, /usr/bin/docker, /bin/busybox and root');
    const v = c.check.evaluate({ docker: only(c.container) }, live);
    assert.equal(v.status, c.status, v.summary);
    assert.match(v.summary, c.summary);
    if (v.status === 'fail')
      assert.ok(
        v.findings.some((f) => f.command?.startsWith('GET /containers/')),
        'evidence names the API call',
      );
  });
}

test('real dockerd: live settings read from inspect', (t) => {
  if (!usable) return t.skip('needs dockerd, /usr/bin/docker, /bin/busybox and root');
  const h = byName('hardened').settings;
  assert.deepEqual(
    [h.user.value, h.readOnly.value, h.capDrop.value, h.securityOpt.value, h.networkMode.value],
    ['1000', true, ['ALL'], ['no-new-privileges:true'], 'none'],
  );
  assert.deepEqual(byName('sysadmin').settings.capAdd.value, ['SYS_ADMIN']);
  assert.equal(byName('privileged').container?.state, 'created');
  assert.deepEqual(
    byName('sock').settings.mounts.map((m) => [m.type, m.source, m.target]),
    [['bind', sock, '/var/run/docker.sock']],
  );
});

test('real dockerd: drift between the compose file (from the config_files label) and the running container', (t) => {
  if (!usable) return t.skip('needs dockerd, /usr/bin/docker, /bin/busybox and root');
  const w = facts?.workloads.find((x) => x.name === 'lms/app');
  assert.ok(w, 'the labelled container is matched to its compose service');
  assert.equal(w.container?.name, 'lms_app_1');
  assert.deepEqual(
    w.drift.map((d) => [d.field, d.compose, d.live, d.composeSource.line]),
    [['readOnly', 'true', 'false', 5]],
  );
  const v = readOnly.evaluate({ docker: { ...(facts as DockerFacts), workloads: [w] } }, live);
  assert.equal(v.status, 'fail');
  assert.ok(v.findings.some((f) => f.path?.endsWith('docker-compose.yml') && f.line === 5) && v.findings.some((f) => f.command !== null));
});
