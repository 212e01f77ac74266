// Defects the fuzzer found (issue 13), each with the input that showed it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNginxConfig } from '../../src/collect/parse/nginx.js';
import { scanCommandText } from '../../src/collect/parse/backup-commands.js';
import { parseConfigText } from '../../src/cli/config-load.js';
import { UsageError } from '../../src/cli/errors.js';

test('nginx: a vertical tab, form feed or NO-BREAK SPACE is part of a word (was an endless loop to out-of-memory)', () => {
  const r = parseNginxConfig('server_name a\vb\fc\u00a0d;\nlisten 80;\n', '/etc/nginx/nginx.conf');
  assert.deepEqual(
    r.directives.map((d) => [d.name, d.args]),
    [
      ['server_name', ['a\vb\fc\u00a0d']],
      ['listen', ['80']],
    ],
  );
  assert.deepEqual(r.errors, []);
});

test('backup command scan: a line of 88,000 quotes or words is linear (was 38 s and 152 s)', () => {
  for (const unit of ['"', "'", 'a ']) {
    const t0 = performance.now();
    scanCommandText(unit.repeat(88_000), {});
    assert.ok(performance.now() - t0 < 2000, `${JSON.stringify(unit)} took ${(performance.now() - t0).toFixed(0)} ms`);
  }
  const r = scanCommandText('0 3 * * * root restic -r s3:s3.amazonaws.com/bucket backup /srv', {});
  assert.equal(r.destinations[0]?.tool, 'restic');
  assert.equal(r.destinations[0]?.remote, true);
});

test('config: an alias to no anchor is a usage error with the file, not an internal error', () => {
  assert.throws(
    () => parseConfigText('waivers: *nothing\n', 'rampart.yaml'),
    (e: unknown) => e instanceof UsageError && /^rampart\.yaml: invalid YAML: /.test(e.message),
  );
});
