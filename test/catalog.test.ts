import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import YAML from 'yaml';
import { REQUIREMENTS, CHECKLIST } from '../src/catalog/requirements.js';
import { CHECKS } from '../src/checks/index.js';

const SPEC = join(import.meta.dirname, '..', '..', 'shared', 'guide', 'requirements.yaml');

interface SpecReq {
  id: string;
  section: string | number;
  title: string;
  expect?: string;
  kind: string;
  severity: string;
  modes?: string[];
  profile?: string;
  gdpr?: string[];
  iso27001?: Record<string, (string | number)[]>;
}

const OVERLAY = join(import.meta.dirname, '..', 'scripts', 'catalog-overlay.yaml');
const noSpec = !existsSync(SPEC) && process.env.CI !== 'true';

interface Overlay {
  override?: Record<string, Partial<Record<'modes' | 'profile' | 'controls', unknown>>>;
  add?: SpecReq[];
}

test(
  'the catalog copy equals ../shared/guide/requirements.yaml, but for what scripts/catalog-overlay.yaml declares',
  { skip: noSpec },
  () => {
    const doc = YAML.parse(readFileSync(SPEC, 'utf8')) as { requirements: SpecReq[]; checklist: unknown };
    const overlay = (YAML.parse(readFileSync(OVERLAY, 'utf8')) ?? {}) as Overlay;
    const added = new Set((overlay.add ?? []).map((a) => a.id));
    assert.equal(REQUIREMENTS.length, doc.requirements.length + added.size);
    for (const id of added) assert.ok(!doc.requirements.some((s) => s.id === id), `${id}: the overlay adds an id the spec has`);
    for (const s of doc.requirements) {
      const r = REQUIREMENTS.find((x) => x.id === s.id);
      assert.ok(r, `${s.id} missing from the catalog`);
      const own = overlay.override?.[s.id] ?? {};
      assert.equal(r.section, String(s.section), s.id);
      assert.equal(r.title, s.title, s.id);
      assert.equal(r.kind, s.kind, s.id);
      assert.equal(r.severity, s.severity, s.id);
      if (!('profile' in own)) assert.equal(r.profile, s.profile ?? 'guide', s.id);
      if (!('modes' in own)) assert.deepEqual(r.modes, s.modes ?? [], s.id);
      assert.equal(r.expect, s.expect, s.id);
      if (!('controls' in own)) {
        assert.deepEqual(r.controls.gdpr, s.gdpr ?? [], s.id);
        assert.deepEqual(r.controls['iso27001:2013'], (s.iso27001?.['2013'] ?? []).map(String), s.id);
        assert.deepEqual(r.controls['iso27001:2022'], (s.iso27001?.['2022'] ?? []).map(String), s.id);
      }
    }
    assert.deepEqual(CHECKLIST, doc.checklist);
  },
);

test('src/catalog/requirements.ts is what scripts/gen-catalog.mjs generates (npm run gen:catalog)', { skip: noSpec }, () => {
  const r = spawnSync(process.execPath, [join(import.meta.dirname, '..', 'scripts', 'gen-catalog.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('checklist entries name existing ids', () => {
  const ids = new Set(REQUIREMENTS.map((r) => r.id));
  for (const box of [...CHECKLIST.pre, ...CHECKLIST.post]) for (const id of box.requirements) assert.ok(ids.has(id), id);
});

/** Beside the one-file-per-check layout an area holds its index.ts and, for logic its checks share, one _lib.ts. */
const AREA_FILES = new Set(['index.ts', '_lib.ts']);

function checkFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return checkFiles(p);
    return e.name.endsWith('.ts') && !AREA_FILES.has(e.name) && dir !== join(import.meta.dirname, '..', 'src', 'checks') ? [p] : [];
  });
}

test('every check: unique id, id == path, registered, with a test file naming both a pass and a fail', async () => {
  const root = join(import.meta.dirname, '..', 'src', 'checks');
  const ids = CHECKS.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, 'duplicate ids');
  const files = checkFiles(root);
  assert.equal(files.length, CHECKS.length, 'every check file is registered in an area index, and nothing else sits beside them');
  for (const file of files) {
    const mod = (await import(file)) as { default: { id: string } };
    const rel = file.slice(root.length + 1).replace(/\.ts$/, '');
    const [area, name] = rel.split('/');
    assert.equal(mod.default.id, `${area}.${name}`, `${rel}: id must equal its path`);
    const testFile = join(import.meta.dirname, 'checks', area!, `${name}.test.ts`);
    assert.ok(existsSync(testFile), `${mod.default.id} has no test file ${testFile}`);
    const text = readFileSync(testFile, 'utf8');
    const check = CHECKS.find((c) => c.id === mod.default.id)!;
    // A case is either a runCases table entry (`pass: [`) or a status quoted in the test.
    const hasCase = (status: string) => new RegExp(`'${status}'|\\b${status}: \\[`).test(text);
    if (check.kind === 'attestation') {
      assert.ok(hasCase('manual'), `${testFile} has no manual case`);
    } else {
      assert.ok(hasCase('pass'), `${testFile} has no pass case`);
      // A check that cannot fail (uses no `fail`: fw.default-allow-outgoing, where stricter passes) needs no fail case.
      if (/\bfail\b/.test(readFileSync(file, 'utf8'))) assert.ok(hasCase('fail'), `${testFile} has no fail case`);
    }
  }
});

test('every control id is one the spec uses', () => {
  const used = { 'iso27001:2013': new Set<string>(), 'iso27001:2022': new Set<string>(), gdpr: new Set<string>() };
  for (const r of REQUIREMENTS) for (const k of Object.keys(used) as (keyof typeof used)[]) for (const c of r.controls[k]) used[k].add(c);
  for (const c of CHECKS)
    for (const k of Object.keys(used) as (keyof typeof used)[])
      for (const id of c.controls[k]) assert.ok(used[k].has(id), `${c.id}: ${id}`);
});

test('an area _lib.ts holds shared logic only: no check of its own, and only the checks import it', async () => {
  const root = join(import.meta.dirname, '..', 'src', 'checks');
  const libs = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(root, e.name, '_lib.ts')))
    .map((e) => e.name);
  assert.ok(libs.length > 0, 'no area has a _lib.ts');
  for (const area of libs) {
    const mod = (await import(join(root, area, '_lib.ts'))) as Record<string, unknown>;
    assert.equal(mod.default, undefined, `checks/${area}/_lib.ts must not export a check`);
  }
  const outside = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return outside(p);
      return e.name.endsWith('.ts') && /checks\/[a-z0-9-]+\/_lib\.js'/.test(readFileSync(p, 'utf8')) ? [p] : [];
    });
  const src = join(import.meta.dirname, '..', 'src');
  const importers = readdirSync(src, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'checks')
    .flatMap((e) => outside(join(src, e.name)));
  assert.deepEqual(importers, [], 'judgement stays in src/checks: nothing outside it imports a _lib.ts');
});
