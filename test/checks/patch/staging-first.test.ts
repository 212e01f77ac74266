import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/patch/staging-first.js';
import { ctx } from '../../helpers.js';

test('patch.staging-first is manual until attested (attestations come with the attest command)', () => {
  const v = check.evaluate({}, ctx());
  assert.equal(v.status, 'manual');
  assert.match(v.summary, /attestation/);
});
