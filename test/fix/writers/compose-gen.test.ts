// The compose edits on generated files that share settings the way real projects do (anchors, merge
// keys, aliases of lists: test/docker/compose-yaml-gen.ts): after the four docker steps every service,
// merges resolved, has the wanted values; a second run changes nothing; and Debian's docker-compose
// 1.29 (`config`, YAML 1.1 with merge keys) reads the same on a slice of the seeds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { editComposeServices } from '../../../src/fix/writers/compose-edit.js';
import { composeOp } from '../../../src/fix/writers/compose.js';
import type { ComposeOp } from '../../../src/fix/writers/compose-edit.js';
import { generateCompose } from '../../docker/compose-yaml-gen.js';
import { requireCommands } from '../../helpers.js';

const STEPS: [string, string][] = [
  ['user', '1000:1000'],
  ['read_only', 'true'],
  ['cap_drop', 'ALL'],
  ['security_opt', 'no-new-privileges:true'],
];
const OPS = STEPS.map(([d, v]) => composeOp(d, v) as ComposeOp);

type Svc = { user?: string | number; read_only?: boolean | string; cap_drop?: string[]; security_opt?: string[] };

function hardened(s: Svc): string | null {
  if (s.user === undefined || ['0', 'root'].includes(String(s.user).split(':')[0]!)) return `user ${String(s.user)}`;
  if (s.read_only !== true) return `read_only ${String(s.read_only)}`;
  if (!s.cap_drop?.map(String).includes('ALL')) return `cap_drop ${JSON.stringify(s.cap_drop)}`;
  const so = (s.security_opt ?? []).map(String);
  if (!so.includes('no-new-privileges:true') || so.some((o) => /^no-new-privileges:(?!true$)/.test(o)))
    return `security_opt ${JSON.stringify(so)}`;
  return null;
}

function editAll(text: string): string {
  let out = text;
  for (const op of OPS) {
    const r = editComposeServices(out, op);
    assert.ok(!('error' in r), 'error' in r ? r.error : '');
    out = r.text;
  }
  return out;
}

const SEEDS = Array.from({ length: 200 }, (_, i) => i + 1);

test('compose edits on 200 generated files: merged values hardened, idempotent, only added/replaced bytes', () => {
  for (const seed of SEEDS) {
    const { text, label } = generateCompose(seed);
    const out = editAll(text);
    const js = parseDocument(out, { merge: true }).toJS() as { services: Record<string, Svc> };
    for (const [name, s] of Object.entries(js.services)) assert.equal(hardened(s), null, `seed ${seed} (${label}) ${name}`);
    assert.equal(editAll(out), out, `seed ${seed}: a second run changes nothing`);
    // Every line of the input is still there, in order (edits replace values in place or add lines).
    const kept = text.split('\n').filter((l) => out.split('\n').includes(l)).length;
    assert.ok(kept >= text.split('\n').length - 8 * Object.keys(js.services).length, `seed ${seed}: too many lines rewritten`);
  }
});

test('docker-compose 1.29 reads the edited files as hardened (seeds 1-15)', { timeout: 180_000 }, (t) => {
  if (!requireCommands(t, 'docker-compose')) return;
  const dir = mkdtempSync(join(tmpdir(), 'rampart-compose-gen-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const seed of SEEDS.slice(0, 15)) {
    const f = join(dir, `c${seed}.yml`);
    writeFileSync(f, editAll(generateCompose(seed).text));
    const r = spawnSync('docker-compose', ['-f', f, 'config'], { encoding: 'utf8', cwd: dir });
    assert.equal(r.status, 0, `seed ${seed}: ${r.stderr}`);
    const model = parse(r.stdout) as { services: Record<string, Svc> };
    for (const [name, s] of Object.entries(model.services)) assert.equal(hardened(s), null, `seed ${seed} ${name} (docker-compose)`);
  }
});
