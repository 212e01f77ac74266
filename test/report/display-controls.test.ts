// A file name carrying U+202E (right-to-left override) or an escape sequence reached every format
// raw (issue 13): the display formats now show it escaped (\u202e, \x1b) through the one sanitiser
// (printable), JSON and SARIF keep the data but write it as \u escapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORMATS } from '../../src/report/index.js';
import { makeTree, runCli } from '../helpers.js';

test('bidi overrides and terminal escapes from file names are never raw in any format', async (t) => {
  const evil = 'evil\u202egpj.sh\u001b[31m\u2066x';
  const dir = makeTree({ 'root/etc/os-release': 'ID=debian\nVERSION_ID="12"\n', [`root/etc/${evil}`]: { content: 'x', mode: 0o666 } }, t);
  const outs = FORMATS.map((f) => `${f}:${join(dir, `r.${f}`)}`).join(',');
  const r = await runCli(['audit', '--root', join(dir, 'root'), '--no-store', '--format', outs]);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  const json = readFileSync(join(dir, 'r.json'), 'utf8');
  assert.ok(json.includes('\\u202e'), 'the name reached the report (escaped)');
  const strings: string[] = [];
  JSON.parse(json, (_k, v: unknown) => (typeof v === 'string' && strings.push(v), v));
  assert.ok(strings.includes(`/etc/${evil}`), 'JSON keeps the exact name as data');
  for (const f of FORMATS) {
    const text = readFileSync(join(dir, `r.${f}`), 'utf8');
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(text, /[\u202a-\u202e\u2066-\u2069\u001b]/, `${f}: raw display control`);
  }
});
