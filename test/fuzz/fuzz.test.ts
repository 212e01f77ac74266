// The suite's fixed-seed slice of `npm run fuzz`: FUZZ_RUNS (default 300) inputs per parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TARGETS } from './index.js';
import { fuzzTarget } from './harness.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
// The suite shares 2 cores with other jobs: a hang here is > 10 s (npm run fuzz counts > 1 s); the
// garbage includes 100-200 KB inputs, which a loaded machine parses in 1-2 s.
const HANG_MS = 10_000;
for (const t of TARGETS) {
  test(`fuzz ${t.name}: ${RUNS} inputs, no crash, no hang, errors carry a line${t.print ? ', round trip' : ''}`, () => {
    const s = fuzzTarget(t, RUNS, 13, HANG_MS);
    assert.equal(s.inputs, RUNS);
    assert.deepEqual([s.crashes, s.hangs, s.roundTripFailures, s.lineFailures], [0, 0, 0, 0], s.firstFailure ?? '');
  });
}
