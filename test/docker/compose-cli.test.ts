// Real component: Debian's docker-compose 1.29 (`docker-compose -f A [-f B] config`) merges, extends and
// interpolates the same fixtures; where both agree, the fields the checks judge must be equal.
// Where they differ by design, see test/docker/DIFFERENCES.md.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parse } from 'yaml';
import { requireCommands } from '../helpers.js';
import { composeRoot, dockerFactsAt } from './fixture.js';

type Svc = {
  user?: string | number;
  read_only?: boolean;
  privileged?: boolean;
  cap_add?: string[];
  cap_drop?: string[];
  image?: string;
  network_mode?: string;
  security_opt?: string[];
};

function composeConfig(dir: string, files: string[]): { ok: true; services: Record<string, Svc> } | { ok: false; stderr: string } {
  const r = spawnSync('docker-compose', [...files.flatMap((f) => ['-f', f]), 'config'], {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin' },
    timeout: 60000,
  });
  if (r.status !== 0) return { ok: false, stderr: r.stderr };
  return { ok: true, services: (parse(r.stdout) as { services: Record<string, Svc> }).services };
}

const AGREE: { name: string; files: string[] }[] = [
  { name: 'lms.pass', files: ['docker-compose.yml'] },
  { name: 'override-read-only-off.fail', files: ['docker-compose.yml', 'docker-compose.override.yml'] },
  { name: 'extends.pass', files: ['docker-compose.yml'] },
  { name: 'extends-cap-add.fail', files: ['docker-compose.yml'] },
  { name: 'interpolation.pass', files: ['docker-compose.yml'] },
  { name: 'privileged.fail', files: ['docker-compose.yml'] },
  { name: 'network-host.fail', files: ['docker-compose.yml'] },
];

for (const c of AGREE) {
  test(`docker-compose 1.29 config agrees on ${c.name}`, async (t) => {
    if (!requireCommands(t, 'docker-compose')) return;
    const root = composeRoot(t, c.name);
    const ref = composeConfig(join(root, 'app'), c.files);
    assert.ok(ref.ok, ref.ok ? '' : ref.stderr);
    const d = await dockerFactsAt(root);
    assert.deepEqual(d.workloads.map((w) => w.service).sort(), Object.keys(ref.services).sort());
    for (const w of d.workloads) {
      const r: Svc = ref.services[w.service ?? ''] ?? {};
      const s = w.settings;
      const sorted = (a: string[] | undefined) => [...(a ?? [])].map((x) => x.toUpperCase()).sort();
      assert.deepEqual(
        {
          user: s.user.value,
          ro: s.readOnly.value,
          priv: s.privileged.value,
          add: [...s.capAdd.value].sort(),
          drop: [...s.capDrop.value].sort(),
          image: s.image.value,
          net: s.networkMode.value,
          sec: s.securityOpt.value,
        },
        {
          user: r.user === undefined ? (s.userFrom === 'dockerfile' ? s.user.value : null) : String(r.user),
          ro: r.read_only ?? false,
          priv: r.privileged ?? false,
          add: sorted(r.cap_add),
          drop: sorted(r.cap_drop),
          image: r.image ?? null,
          net: r.network_mode ?? null,
          sec: r.security_opt ?? [],
        },
        `${c.name}/${w.service ?? ''}`,
      );
    }
  });
}

const REJECT: { name: string; ours: RegExp; theirs: RegExp }[] = [
  {
    name: 'interpolation-missing.unknown',
    ours: /required variable TAG is missing: TAG must be set/,
    theirs: /Missing mandatory value.*TAG must be set/,
  },
  { name: 'malformed-yaml.unknown', ours: /^YAML/, theirs: /ParserError|while parsing/ },
  {
    name: 'wrong-type.unknown',
    ours: /cap_drop contains an invalid type, it should be an array/,
    theirs: /cap_drop contains an invalid type, it should be an array/,
  },
];
for (const c of REJECT) {
  test(`docker-compose 1.29 config and rampart both reject ${c.name}`, async (t) => {
    if (!requireCommands(t, 'docker-compose')) return;
    const root = composeRoot(t, c.name);
    const ref = composeConfig(join(root, 'app'), ['docker-compose.yml']);
    assert.ok(!ref.ok, 'docker-compose accepted it');
    assert.match(ref.stderr, c.theirs);
    const d = await dockerFactsAt(root);
    assert.notEqual(d.projects[0]?.status, 'ok');
    assert.match(d.projects[0]?.error?.reason ?? '', c.ours);
  });
}
