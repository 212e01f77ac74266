// Issue 9 §4: compose files that share settings through YAML anchors, aliases, merge keys and x-*
// extension fields, as the Compose Specification documents (fragments, extensions, merge), checked
// against the real `docker-compose config` (Debian 12, 1.29) on generated files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeTree, requireCommands, ctx } from '../helpers.js';
import { dockerFactsAt } from './fixture.js';
import { generateCompose } from './compose-yaml-gen.js';
import { compareCompose } from './compose-agree.js';
import { parseComposeFile } from '../../src/collect/parse/compose-file.js';
import readOnly from '../../src/checks/docker/read-only-rootfs.js';
import capabilities from '../../src/checks/docker/capabilities.js';
import nonRoot from '../../src/checks/docker/non-root.js';

const ISSUE_EXAMPLE = `x-defaults: &defaults { read_only: true, cap_drop: [ALL] }
services:
  app:
    <<: *defaults
    image: registry.example/lms-app:1.4
    user: "10001:10001"
  worker:
    <<: [*defaults]
    image: registry.example/lms-worker:1.4
    user: "10001"
    read_only: false
`;

test("merge keys from an x-* anchor (the issue's example): settings reach each service, explicit keys win; docker.* judged, not unknown", async (t) => {
  const root = makeTree({ 'app/docker-compose.yml': ISSUE_EXAMPLE }, t);
  const d = await dockerFactsAt(root);
  assert.equal(d.projects[0]?.status, 'ok', JSON.stringify(d.projects[0]));
  const app = d.workloads.find((w) => w.service === 'app')!;
  const worker = d.workloads.find((w) => w.service === 'worker')!;
  assert.deepEqual([app.settings.readOnly.value, app.settings.capDrop.value], [true, ['ALL']]);
  assert.equal(app.settings.readOnly.source.line, 1, 'the value is evidenced where the anchor defines it');
  assert.deepEqual([worker.settings.readOnly.value, worker.settings.capDrop.value], [false, ['ALL']]);
  assert.equal(worker.settings.readOnly.source.line, 11);
  for (const c of [readOnly, capabilities, nonRoot]) {
    const v = c.evaluate({ docker: d }, ctx({ live: false }));
    assert.notEqual(v.status, 'unknown', `${c.id}: ${v.summary}`);
  }
  const ro = readOnly.evaluate({ docker: d }, ctx({ live: false }));
  assert.equal(ro.status, 'fail', ro.summary);
  assert.match(ro.summary, /worker/);
});

test('an alias bomb (billion laughs) is refused with a clear reason, quickly, not expanded', () => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= 9; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]`);
  lines.push('services:', '  app:', '    image: x', '    labels: *a9');
  const t0 = performance.now();
  const r = parseComposeFile(`${lines.join('\n')}\n`, '/app/docker-compose.yml', {});
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /aliases expand to more than 200000 nodes \(an alias bomb\?\)/);
  assert.ok(performance.now() - t0 < 5000, 'bounded');
});

test('Compose Specification !reset and !override inside one file (spec examples; docker-compose 1.29 predates these tags)', async (t) => {
  // compose-spec merge.md / fragments: a service merges defaults, then resets or replaces a part.
  const text = `x-base: &base
  cap_drop: [NET_ADMIN]
  cap_add: [SYS_ADMIN]
  read_only: true
services:
  web:
    <<: *base
    image: nginx
    cap_add: !reset []
    cap_drop: !override [ALL]
`;
  const root = makeTree({ 'app/docker-compose.yml': text }, t);
  const d = await dockerFactsAt(root);
  const w = d.workloads.find((x) => x.service === 'web')!;
  assert.deepEqual([w.settings.capAdd.value, w.settings.capDrop.value, w.settings.readOnly.value], [[], ['ALL'], true]);
});

const CASES = Number(process.env.RAMPART_AGREE_CASES ?? 40);
test(`docker-compose 1.29 config agrees on ${CASES} generated compose files with anchors, merge keys and aliases (seeded)`, async (t) => {
  if (!requireCommands(t, 'docker-compose')) return;
  const bad: string[] = [];
  let items = 0;
  for (let seed = 1; seed <= CASES; seed++) {
    const g = generateCompose(seed);
    const c = await compareCompose(g.text);
    if (c.refused && !(c.refused.ours && c.refused.theirs))
      bad.push(`seed ${seed} (${g.label}): ours ${c.refused.ours ?? 'accepted'}, docker-compose ${c.refused.theirs ?? 'accepted'}`);
    for (const i of c.items) {
      items++;
      if (!i.agree)
        bad.push(
          `seed ${seed} (${g.label}) ${i.service}.${i.field}: ours ${JSON.stringify(i.ours)}, docker-compose ${JSON.stringify(i.theirs)}`,
        );
    }
  }
  assert.ok(items > CASES * 7, `compared ${items} items`);
  assert.deepEqual(bad, []);
});

test('generated files are deterministic per seed and exercise merges, merge lists, nested merges and aliased sequences', () => {
  assert.equal(generateCompose(3).text, generateCompose(3).text);
  const labels = new Set(Array.from({ length: 40 }, (_, i) => generateCompose(i + 1).label.split(',')).flat());
  for (const l of ['merge', 'merge-list', 'nested-merge', 'alias-seq']) assert.ok(labels.has(l), `${l} in ${[...labels].join(' ')}`);
});
