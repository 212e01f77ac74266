// Compose and daemon.json writers: byte-exact compose edits (table), the docker recipes applied to
// real compose fixtures and checked by docker-compose 1.29 (`config`) and by the audit, and daemon.json
// edits started by a real dockerd.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { FsTarget } from '../../../src/target/fs-target.js';
import { CHECKS } from '../../../src/checks/index.js';
import { editComposeServices } from '../../../src/fix/writers/compose-edit.js';
import { composeOp, writer as compose } from '../../../src/fix/writers/compose.js';
import { setDaemonKey, writer as daemon } from '../../../src/fix/writers/docker-daemon.js';
import type { DirectiveWriter } from '../../../src/fix/writers/types.js';
import { validatorArgv } from '../../../src/fix/plan.js';
import { isRoot, requireCommands, runCli } from '../../helpers.js';
import { composeRoot } from '../../docker/fixture.js';

const NOW = '2026-12-01T00:00:00Z';
const op = (d: string, v: string) => {
  const o = composeOp(d, v);
  assert.ok(typeof o !== 'string', typeof o === 'string' ? o : '');
  return o;
};

const EDITS: { name: string; d: string; v: string; in: string; out: string }[] = [
  {
    name: 'a key added after the last one, comments where they were',
    d: 'read_only',
    v: 'true',
    in: '# stack\nservices:\n  app: # the app\n    image: x  # pinned\n    ports: [ "80:80" ]\n\n  db:\n    image: y\n',
    out: '# stack\nservices:\n  app: # the app\n    image: x  # pinned\n    ports: [ "80:80" ]\n    read_only: true\n\n  db:\n    image: y\n    read_only: true\n',
  },
  {
    name: 'false replaced in place',
    d: 'read_only',
    v: 'true',
    in: 'services:\n  a:\n    read_only: false # dev\n',
    out: 'services:\n  a:\n    read_only: true # dev\n',
  },
  {
    name: 'already true: unchanged',
    d: 'read_only',
    v: 'true',
    in: 'services:\n  a:\n    read_only: true\n',
    out: 'services:\n  a:\n    read_only: true\n',
  },
  {
    name: 'root user replaced, quoted',
    d: 'user',
    v: '1000:1000',
    in: 'services:\n  a:\n    user: root\n',
    out: 'services:\n  a:\n    user: "1000:1000"\n',
  },
  {
    name: 'a non-root user kept',
    d: 'user',
    v: '1000:1000',
    in: 'services:\n  a:\n    user: "33"\n',
    out: 'services:\n  a:\n    user: "33"\n',
  },
  {
    name: 'flow list extended',
    d: 'cap_drop',
    v: 'ALL',
    in: 'services:\n  a:\n    cap_drop: [NET_RAW]\n    image: x\n',
    out: 'services:\n  a:\n    cap_drop: [NET_RAW, ALL]\n    image: x\n',
  },
  {
    name: 'block list extended at its indentation',
    d: 'cap_drop',
    v: 'ALL',
    in: 'services:\n  a:\n    cap_drop:\n    - NET_RAW # no ping\n    image: x\n',
    out: 'services:\n  a:\n    cap_drop:\n    - NET_RAW # no ping\n    - ALL\n    image: x\n',
  },
  {
    name: 'no-new-privileges:false replaced',
    d: 'security_opt',
    v: 'no-new-privileges:true',
    in: 'services:\n  a:\n    security_opt: ["label:disable", "no-new-privileges:false"]\n',
    out: 'services:\n  a:\n    security_opt: ["label:disable", no-new-privileges:true]\n',
  },
  {
    name: 'no newline at the end',
    d: 'read_only',
    v: 'true',
    in: 'services:\n  a:\n    image: x',
    out: 'services:\n  a:\n    image: x\n    read_only: true\n',
  },
];

for (const c of EDITS)
  test(`compose edit: ${c.name}`, () => {
    const r = editComposeServices(c.in, op(c.d, c.v));
    assert.ok(!('error' in r), 'error' in r ? r.error : '');
    assert.equal(r.text, c.out);
  });

test('compose edit refuses what it cannot edit in place', () => {
  const r = editComposeServices('services:\n  a: {image: x}\n', op('read_only', 'true'));
  assert.ok('error' in r && /flow mapping/.test(r.error));
  assert.equal(typeof composeOp('user', '0:0'), 'string');
  assert.equal(typeof composeOp('privileged', 'false'), 'string');
});

const COMPOSE_IDS = ['docker.non-root', 'docker.read-only-rootfs', 'docker.capabilities'];

async function statuses(root: string, ids: string[], extra: string[] = []): Promise<Map<string, { status: string; summary: string }>> {
  const r = await runCli(['audit', '--root', root, '--format', 'json', '--now', NOW, '--no-store', '--only', ids.join(','), ...extra]);
  const j = JSON.parse(r.stdout) as { results: { id: string; status: string; summary: string }[] };
  return new Map(j.results.map((x) => [x.id, x]));
}

/** Runs the recipes' set-directive steps through `w`, steps composing through `pending`, then writes the files; returns the validators. */
async function applyRecipes(
  root: string,
  ids: string[],
  writers: Record<string, DirectiveWriter>,
): Promise<{ path: string; validate: readonly string[] }[]> {
  const target = new FsTarget({ root, name: 'fix' });
  const pending = new Map<string, Uint8Array>();
  const validators = new Map<string, readonly string[]>();
  for (const id of ids)
    for (const step of CHECKS.find((c) => c.id === id)!.fix!.steps) {
      assert.equal(step.kind, 'set-directive');
      if (step.kind !== 'set-directive') continue;
      const out = await writers[step.service]!.write({ target, mode: 'root', step, pending, rootDir: root });
      assert.ok(out.ok, out.ok ? '' : out.refused);
      for (const c of out.result.changes) {
        pending.set(c.path, c.content);
        if (c.validate) validators.set(c.path, c.validate);
      }
    }
  for (const [p, content] of pending) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), content);
  }
  return [...validators].map(([path, validate]) => ({ path, validate }));
}

/** The lms.pass stack with its hardening lines taken out: what a default deployment looks like. */
function unhardened(t: TestContext): string {
  const root = composeRoot(t, 'lms.pass');
  const f = join(root, 'app', 'docker-compose.yml');
  const text = readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => !/^\s+(user|read_only|cap_drop|security_opt):|^\s+- (ALL|no-new-privileges:true)$/.test(l))
    .join('\n');
  writeFileSync(f, text);
  return root;
}

for (const [name, make] of [
  ['lms.pass without its hardening', unhardened],
  ['root-user.fail', (t: TestContext) => composeRoot(t, 'root-user.fail')],
  ['override-read-only-off.fail (base + override)', (t: TestContext) => composeRoot(t, 'override-read-only-off.fail')],
] as const)
  test(
    `compose recipes on ${name}: docker-compose config accepts the files, the three checks pass, comments kept`,
    { timeout: 120_000 },
    async (t) => {
      if (!requireCommands(t, 'docker-compose')) return;
      const root = make(t);
      const app = join(root, 'app');
      const before = new Map(
        ['docker-compose.yml', 'docker-compose.override.yml'].flatMap((f) => {
          try {
            return [[f, readFileSync(join(app, f), 'utf8')] as const];
          } catch {
            return [];
          }
        }),
      );
      const s0 = await statuses(root, COMPOSE_IDS);
      assert.ok(
        COMPOSE_IDS.some((id) => s0.get(id)?.status === 'fail'),
        JSON.stringify([...s0]),
      );
      const validators = await applyRecipes(root, COMPOSE_IDS, { compose });
      assert.ok(validators.length > 0);
      // The plan's own validator on each written file (the candidate is the file itself here).
      for (const v of validators) {
        const argv = validatorArgv(v.validate, join(root, v.path));
        const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', cwd: app });
        assert.equal(r.status, 0, `${argv.join(' ')}: ${r.stderr}`);
      }
      // docker-compose's merged model (Compose Specification keys, as compose 1.29 resolves them).
      const files = [...before.keys()].flatMap((f) => ['-f', join(app, f)]);
      const cfg = spawnSync('docker-compose', ['--project-directory', app, ...files, 'config'], { encoding: 'utf8', cwd: app });
      assert.equal(cfg.status, 0, cfg.stderr);
      const model = parse(cfg.stdout) as {
        services: Record<string, { user?: string; read_only?: boolean; cap_drop?: string[]; security_opt?: string[] }>;
      };
      for (const [svc, s] of Object.entries(model.services)) {
        assert.notEqual(s.user ?? 'root', 'root', svc);
        assert.equal(s.read_only, true, svc);
        assert.ok(s.cap_drop?.includes('ALL'), svc);
        assert.ok(s.security_opt?.includes('no-new-privileges:true'), svc);
      }
      for (const [f, text] of before) {
        const now = readFileSync(join(app, f), 'utf8');
        for (const l of text.split('\n').filter((x) => x.includes('#'))) assert.ok(now.includes(l), `${f}: comment line kept: ${l}`);
      }
      const s1 = await statuses(root, COMPOSE_IDS);
      for (const id of COMPOSE_IDS) assert.equal(s1.get(id)?.status, 'pass', `${id}: ${s1.get(id)?.summary ?? ''}`);
    },
  );

test('daemon.json: keys set, other keys and their order kept', () => {
  const r = setDaemonKey(
    '{\n  "data-root": "/srv/docker",\n  "log-opts": {"max-file": "3"},\n  "icc": true\n}\n',
    'log-opts.max-size',
    '10m',
  );
  assert.ok(!('error' in r));
  const r2 = setDaemonKey(r.text, 'icc', false);
  assert.ok(!('error' in r2));
  assert.equal(
    r2.text,
    '{\n  "data-root": "/srv/docker",\n  "log-opts": {\n    "max-file": "3",\n    "max-size": "10m"\n  },\n  "icc": false\n}\n',
  );
  assert.equal(r2.before, true);
  assert.ok('error' in setDaemonKey('{"icc": true,}', 'icc', false));
});

test('daemon.json: icc false is refused where iptables is off (dockerd would not start)', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'rampart-daemon-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'etc/docker'), { recursive: true });
  writeFileSync(join(root, 'etc/docker/daemon.json'), '{"iptables": false}\n');
  const out = await daemon.write({
    target: new FsTarget({ root, name: 'd' }),
    mode: 'root',
    step: { kind: 'set-directive', service: 'docker-daemon', directive: 'icc', value: 'false' },
    pending: new Map(),
  });
  assert.ok(!out.ok && /iptables/.test(out.refused));
});

test(
  'docker.host-isolation recipe: daemon.json written from nothing, the audit passes its daemon half, a real dockerd starts on it',
  { timeout: 180_000 },
  async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'rampart-daemon-'));
    t.after(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'etc/docker'), { recursive: true });
    // dpkg says docker.io is installed, so the daemon's configuration is judged.
    mkdirSync(join(root, 'var/lib/dpkg'), { recursive: true });
    writeFileSync(join(root, 'var/lib/dpkg/status'), 'Package: docker.io\nStatus: install ok installed\nVersion: 20.10.24+dfsg1-1+b3\n\n');
    const s0 = await statuses(root, ['docker.host-isolation'], ['--profile', 'strict']);
    assert.equal(s0.get('docker.host-isolation')?.status, 'fail', s0.get('docker.host-isolation')?.summary);
    await applyRecipes(root, ['docker.host-isolation'], { 'docker-daemon': daemon });
    const s1 = await statuses(root, ['docker.host-isolation'], ['--profile', 'strict']);
    assert.equal(s1.get('docker.host-isolation')?.status, 'pass', s1.get('docker.host-isolation')?.summary);
    const conf = join(root, 'etc/docker/daemon.json');
    assert.deepEqual(JSON.parse(readFileSync(conf, 'utf8')), {
      'no-new-privileges': true,
      icc: false,
      'live-restore': true,
      'log-opts': { 'max-size': '10m' },
    });
    if (!requireCommands(t, 'dockerd', 'docker')) return;
    if (!isRoot()) {
      if (process.env.CI === 'true') throw new Error('CI: dockerd needs root');
      t.skip('dockerd needs root');
      return;
    }
    assert.equal(await dockerdStarts(t, conf), 'up');
    // The probe can fail: dockerd refuses a wrong type.
    const bad = join(root, 'bad.json');
    writeFileSync(bad, '{"icc": "no"}\n');
    assert.match(await dockerdStarts(t, bad), /exited/);
  },
);

/**
 * A private dockerd on `config`: own roots and socket, no bridge, in a network namespace of its own
 * (icc false needs iptables: dockerd refuses --iptables=false with it), 'up' once it answers, else how it ended.
 */
async function dockerdStarts(t: TestContext, config: string): Promise<string> {
  const tmp = mkdtempSync(join(tmpdir(), 'rampart-dockerd-fix-'));
  const sock = join(tmp, 'd.sock');
  const log = openSync(join(tmp, 'log'), 'a');
  const d = spawn(
    'unshare',
    [
      '--net',
      '--',
      'dockerd',
      '--config-file',
      config,
      '--data-root',
      join(tmp, 'data'),
      '--exec-root',
      join(tmp, 'exec'),
      '--pidfile',
      join(tmp, 'pid'),
      '-H',
      `unix://${sock}`,
      '--bridge=none',
      '--storage-driver=vfs',
    ],
    { stdio: ['ignore', log, log] },
  );
  const exited = new Promise<number | null>((r) => d.once('exit', (c) => r(c)));
  t.after(async () => {
    if (d.exitCode === null && d.signalCode === null) {
      d.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
    spawnSync('sh', ['-c', `grep -o " ${tmp}[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l`]);
    rmSync(tmp, { recursive: true, force: true });
  });
  for (let i = 0; i < 60; i++) {
    const code = await Promise.race([exited, new Promise<'wait'>((r) => setTimeout(() => r('wait'), 500))]);
    if (code !== 'wait') return `exited ${String(code)}: ${readFileSync(join(tmp, 'log'), 'utf8').split('\n').slice(-3).join(' | ')}`;
    const info = spawnSync('docker', ['-H', `unix://${sock}`, 'info', '--format', '{{.LiveRestoreEnabled}}'], { encoding: 'utf8' });
    if (info.status === 0) {
      assert.equal(info.stdout.trim(), 'true');
      return 'up';
    }
  }
  return 'timeout';
}

test(
  'a compose plan shows no secret: a URL password and a *_PASSWORD value in diff context are redacted, emit refuses the file',
  { timeout: 120_000 },
  async (t) => {
    const root = composeRoot(t, 'root-user.fail');
    const f = join(root, 'app', 'docker-compose.yml');
    writeFileSync(
      f,
      readFileSync(f, 'utf8').replace(
        '    user: root\n',
        '    user: root\n    environment:\n      DATABASE_URL: postgresql://lms:s3cr3t-url@db/lms\n      POSTGRES_PASSWORD: hunter2-pw\n',
      ),
    );
    const args = [
      'fix',
      '--root',
      root,
      '--state-dir',
      join(root, 'state'),
      '--allow-disruptive',
      '--only',
      'docker.non-root',
      '--now',
      NOW,
    ];
    for (const extra of [[], ['--format', 'json']]) {
      const r = await runCli([...args, ...extra]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /user: \\?"1000:1000\\?"/);
      assert.doesNotMatch(r.stdout + r.stderr, /s3cr3t-url|hunter2-pw/);
    }
    const e = await runCli([...args, '--emit', 'sh']);
    assert.doesNotMatch(e.stdout + e.stderr, /s3cr3t-url|hunter2-pw/);
  },
);
