// Secrets never enter facts or output: compose environment: values and .env values stay out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers.js';
import { composeRoot, dockerFactsAt } from './fixture.js';

const SECRETS = ['s3cr3t-value', 'sk-live-4f9a8b7c6d5e'];

test('secret leak: POSTGRES_PASSWORD and .env API_KEY values are absent from the docker facts', async (t) => {
  const d = await dockerFactsAt(composeRoot(t, 'secret-leak'));
  const json = JSON.stringify(d);
  assert.ok(json.includes('API_KEY'), 'the .env variable name is kept');
  for (const s of SECRETS) assert.ok(!json.includes(s), `facts contain ${s}`);
});

test('secret leak: absent from the saved snapshot and the json and text reports', async (t) => {
  const root = composeRoot(t, 'secret-leak');
  const facts = join(root, 'facts.json');
  for (const format of ['json', 'text']) {
    const r = await runCli([
      'audit',
      '--root',
      root,
      '--format',
      format,
      '--profile',
      'strict',
      '--no-store',
      '--only',
      'docker.*',
      '--save-facts',
      facts,
    ]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.match(r.stdout, /docker\.non-root/);
    for (const s of SECRETS) {
      assert.ok(!r.stdout.includes(s), `${format} output contains ${s}`);
      assert.ok(!r.stderr.includes(s));
    }
    const snap = readFileSync(facts, 'utf8');
    assert.match(snap, /"docker"/);
    for (const s of SECRETS) assert.ok(!snap.includes(s), `snapshot contains ${s}`);
  }
});
