import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { interpolate, parseDotenv } from '../../src/collect/parse/compose-interpolate.js';
import { parseJsonWithLines } from '../../src/collect/parse/docker-json.js';
import { parseScanReport } from '../../src/collect/parse/docker-scan-report.js';
import { dockerfileUser, parseDockerfile } from '../../src/collect/parse/dockerfile.js';
import { findEnvAssignments } from '../../src/collect/parse/docker-env.js';
import { dockerGet } from '../../src/collect/docker-api.js';
import { FsTarget } from '../../src/target/fs-target.js';

const env = { SET: 'v', EMPTY: '' };
const INTERP: [string, string | RegExp][] = [
  ['${SET}', 'v'],
  ['$SET-x', 'v-x'],
  ['${UNSET:-d}', 'd'],
  ['${EMPTY:-d}', 'd'],
  ['${EMPTY-d}', ''],
  ['${UNSET-d}', 'd'],
  ['${SET:+r}', 'r'],
  ['${UNSET+r}', ''],
  ['$$SET', '$SET'],
  ['${UNSET:-${SET}}', 'v'],
  ['${UNSET}', ''],
  ['${UNSET:?must be set}', /required variable UNSET is missing: must be set/],
  ['${EMPTY:?}', /EMPTY is empty/],
  ['${EMPTY?x}', ''],
  ['${SET', /no closing/],
];
for (const [text, want] of INTERP) {
  test(`interpolate ${text}`, () => {
    const r = interpolate(text, env);
    if (typeof want === 'string') assert.deepEqual(r.ok && r.value, want);
    else assert.match(r.ok ? r.value : r.reason, want);
  });
}

test('dotenv: names, quotes, export, comments', () => {
  const r = parseDotenv('# c\nexport A=1\nB="two words"\nC=x # note\nbad line!\n');
  assert.deepEqual(r.names, ['A', 'B', 'C']);
  assert.deepEqual(r.values, { A: '1', B: 'two words', C: 'x' });
  assert.equal(r.errors[0]?.line, 5);
});

test('daemon.json: key lines and the error position', () => {
  const ok = parseJsonWithLines('{\n  "icc": false,\n  "log-opts": {\n    "max-size": "10m"\n  }\n}\n');
  assert.ok(ok.ok);
  assert.equal(ok.keyLines.get('log-opts.max-size'), 4);
  const bad = parseJsonWithLines('{\n  "icc": false,\n}\n');
  assert.deepEqual(bad.ok ? null : [bad.line, bad.column, bad.message], [3, 1, 'expected a "key" (trailing comma?)']);
  const bad2 = parseJsonWithLines('{"live-restore": tru}');
  assert.equal(bad2.ok ? null : bad2.column, 18);
});

const REPORTS = join(import.meta.dirname, '..', 'fixtures', 'docker', 'scan-reports');
test('scan report: recorded upstream trivy JSON (trivy cannot run here; aquasecurity/trivy alpine-310.json.golden)', () => {
  const r = parseScanReport(readFileSync(join(REPORTS, 'trivy-alpine-310.json'), 'utf8'));
  assert.ok(r.ok);
  assert.deepEqual(r.report, {
    tool: 'trivy',
    artifact: 'testdata/fixtures/images/alpine-310.tar.gz',
    imageId: 'sha256:961769676411f082461f9ef46626dd7a2d1e2b2a38e6a44364bcbecf51e66dd4',
    repoDigests: [],
    createdAt: null,
  });
  const dated = JSON.parse(readFileSync(join(REPORTS, 'trivy-alpine-310.json'), 'utf8')) as Record<string, unknown>;
  dated.CreatedAt = '2026-11-20T08:00:00.123456789Z'; // the field newer trivy releases add
  const r2 = parseScanReport(JSON.stringify(dated));
  assert.equal(r2.ok && r2.report.createdAt, '2026-11-20T08:00:00.123Z');
});
test('scan report: recorded upstream grype JSON (grype cannot run here; anchore/grype TestJsonImgsPresenter.golden)', () => {
  const r = parseScanReport(readFileSync(join(REPORTS, 'grype-imgs.json'), 'utf8'));
  assert.ok(r.ok);
  assert.deepEqual([r.report.tool, r.report.artifact, r.report.createdAt], ['grype', 'user-input', null]);
  assert.match(parseScanReport('{"foo": 1}').ok ? '' : 'rejected', /rejected/);
  const notJson = parseScanReport('{"SchemaVersion": 2,');
  assert.match(notJson.ok ? '' : notJson.reason, /not JSON \(line 1/);
});

test('Dockerfile: continuation, multi-stage, ARG/ENV substitution, target stage', () => {
  const df = parseDockerfile(
    'ARG BASE=debian:12\nFROM $BASE AS a\nARG U=app\nUSER ${U}\nFROM a AS b\nRUN echo \\\n  done\nFROM scratch\nUSER 0\n',
  );
  assert.equal(df.stages[1]?.instructions[0]?.line, 6);
  assert.deepEqual(dockerfileUser(df, {}, 'b'), {
    user: 'app',
    line: 4,
    stage: 'b',
    baseImages: [{ image: 'debian:12', line: 2 }],
    unresolved: [],
    error: null,
  });
  assert.equal(dockerfileUser(df, { U: 'svc' }, 'b').user, 'svc');
  assert.equal(dockerfileUser(df, {}, null).user, '0');
  assert.match(dockerfileUser(df, {}, 'nope').error ?? '', /no stage named/);
});

test('DOCKER_CONTENT_TRUST in systemd, environment and shell files', () => {
  assert.deepEqual(findEnvAssignments('[Service]\nEnvironment="DOCKER_CONTENT_TRUST=1" FOO=2\n', 'DOCKER_CONTENT_TRUST', 'systemd'), [
    { value: '1', line: 2 },
  ]);
  assert.deepEqual(findEnvAssignments('export DOCKER_CONTENT_TRUST=1\n# DOCKER_CONTENT_TRUST=0\n', 'DOCKER_CONTENT_TRUST', 'shell'), [
    { value: '1', line: 1 },
  ]);
  assert.deepEqual(findEnvAssignments('PATH=/bin\nDOCKER_CONTENT_TRUST=0\n', 'DOCKER_CONTENT_TRUST', 'environment'), [
    { value: '0', line: 2 },
  ]);
});

test('Engine API: a socket that accepts but never answers gives a timeout, not a hang', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-sock-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sock = join(dir, 'docker.sock');
  const conns: import('node:net').Socket[] = [];
  const server = createServer((c) => {
    conns.push(c); /* accept, never answer */
  });
  await new Promise<void>((r) => server.listen(sock, r));
  t.after(() => {
    for (const c of conns) c.destroy();
    server.close();
  });
  const start = Date.now();
  const r = await dockerGet(new FsTarget({ name: 'local' }), sock, '/version', 300);
  assert.equal(r.ok ? 'ok' : r.reason, 'timeout');
  assert.ok(Date.now() - start < 3000);
  const missing = await dockerGet(new FsTarget({ name: 'local' }), join(dir, 'none.sock'), '/version', 300);
  assert.equal(missing.ok ? 'ok' : missing.reason, 'missing');
});
