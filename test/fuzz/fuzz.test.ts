// The suite's fixed-seed slice of `npm run fuzz`: FUZZ_RUNS (default 300) inputs per parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TARGETS } from './index.js';
import { fuzzTarget } from './harness.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
for (const t of TARGETS) {
  test(`fuzz ${t.name}: ${RUNS} inputs, no crash, no hang, errors carry a line${t.print ? ', round trip' : ''}`, () => {
    const s = fuzzTarget(t, RUNS, 13);
    assert.equal(s.inputs, RUNS);
    assert.deepEqual([s.crashes, s.hangs, s.roundTripFailures, s.lineFailures], [0, 0, 0, 0], s.firstFailure ?? '');
  });
}
