// The real flow: `rampart checklist` on an offline root, `rampart signoff` of it, then the audit judges
// docs.signed-checklist from the copy of the signed checklist kept in the state directory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../helpers.js';
import { hostRoot } from '../../e2e/hosts.js';

const NOW = '2026-11-28T10:00:00Z';

test('docs.signed-checklist: a real signed checklist with unticked boxes fails naming them; a changed copy is unknown', async (t) => {
  const root = hostRoot('debian12-hardened', t);
  const d = mkdtempSync(join(tmpdir(), 'rampart-signed-checklist-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  const state = join(d, 'state');
  assert.equal((await runCli(['keygen', '--out', join(d, 'keys')])).code, 0);
  const pub = readFileSync(join(d, 'keys', 'rampart-signoff.pub'), 'utf8');
  const config = join(d, 'c.yaml');
  writeFileSync(
    config,
    `signers:\n  - name: alice\n    public_key: |\n${pub
      .trimEnd()
      .split('\n')
      .map((l) => `      ${l}`)
      .join('\n')}\n`,
  );

  for (const format of ['json', 'markdown'] as const) {
    const file = join(d, `checklist-${format}.${format === 'json' ? 'json' : 'md'}`);
    const c = await runCli([
      'checklist',
      '--root',
      root,
      '--config',
      config,
      '--state-dir',
      state,
      '--format',
      format,
      '--phase',
      'pre',
      '--now',
      NOW,
    ]);
    assert.equal(c.code, 1, `some box is unticked on this fixture: ${c.stderr}`);
    writeFileSync(file, c.stdout);
    const unticked =
      format === 'json'
        ? (JSON.parse(c.stdout) as { phases: { items: { text: string; ticked: boolean }[] }[] }).phases
            .flatMap((p) => p.items)
            .filter((i) => !i.ticked && i.text !== 'Document security configuration')
            .map((i) => i.text)
        : [...c.stdout.matchAll(/^- \[ \] (.*)$/gm)].map((m) => m[1]!).filter((x) => x !== 'Document security configuration');
    assert.ok(unticked.length > 0);
    const s = await runCli([
      'signoff',
      file,
      '--key',
      join(d, 'keys', 'rampart-signoff.key'),
      '--by',
      'alice',
      '--role',
      'security lead',
      '--state-dir',
      state,
      '--now',
      NOW,
    ]);
    assert.equal(s.code, 0, s.stderr);
    const a = await runCli([
      'audit',
      '--root',
      root,
      '--config',
      config,
      '--state-dir',
      state,
      '--only',
      'docs.signed-checklist',
      '--format',
      'json',
      '--no-store',
      '--now',
      NOW,
    ]);
    const r = (
      JSON.parse(a.stdout) as { results: { id: string; status: string; summary: string; findings: { message: string }[] }[] }
    ).results.find((x) => x.id === 'docs.signed-checklist')!;
    assert.equal(r.status, 'fail', `${format}: ${r.summary}`);
    assert.match(r.summary, /signed off by alice \(security lead\)/);
    for (const text of unticked) assert.ok(r.summary.includes(`"${text}"`), `${format}: ${text} named in ${r.summary}`);
    assert.ok(
      r.findings.some((f) => f.message.startsWith('unticked when signed: checklist.pre.')),
      `${format}: box ids in the findings`,
    );
  }

  // The copy kept beside the sign-off must be the signed document: a changed copy is not believed.
  const dir = join(state, 'signoffs', readdirSync(join(state, 'signoffs'))[0]!);
  for (const n of readdirSync(dir).filter((x) => x.endsWith('.document')))
    writeFileSync(
      join(dir, n),
      readFileSync(join(dir, n), 'utf8')
        .replaceAll('[ ]', '[x]')
        .replaceAll('"ticked": false', '"ticked": true')
        .replaceAll('"ticked":false', '"ticked":true'),
    );
  const a = await runCli([
    'audit',
    '--root',
    root,
    '--config',
    config,
    '--state-dir',
    state,
    '--only',
    'docs.signed-checklist',
    '--format',
    'json',
    '--no-store',
    '--now',
    NOW,
  ]);
  const r = (JSON.parse(a.stdout) as { results: { id: string; status: string; summary: string }[] }).results.find(
    (x) => x.id === 'docs.signed-checklist',
  )!;
  assert.equal(r.status, 'unknown', r.summary);
  assert.match(r.summary, /changed after signing/);
});
