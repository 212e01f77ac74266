// --now / RAMPART_NOW: a day the month does not have is refused, not rolled into the next month
// (issue 13, minor defects: `--now 2026-02-30` became March 2).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clockOf } from '../../src/cli/clock.js';
import { UsageError } from '../../src/cli/errors.js';

test('clockOf: real calendar days pass, impossible ones are a usage error naming the day', () => {
  assert.equal(clockOf({ env: {} }, '2028-02-29').now.toISOString(), '2028-02-29T00:00:00.000Z');
  assert.equal(clockOf({ env: {} }, '2026-12-03T10:00:00Z').now.toISOString(), '2026-12-03T10:00:00.000Z');
  for (const bad of ['2026-02-30', '2026-02-29', '2026-04-31T00:00:00Z', '2026-13-01', '2026-00-10'])
    assert.throws(
      () => clockOf({ env: {} }, bad),
      (e: unknown) => e instanceof UsageError && /not a date/.test(e.message),
      bad,
    );
  assert.throws(
    () => clockOf({ env: { RAMPART_NOW: '2026-02-30' } }, undefined),
    /RAMPART_NOW: "2026-02-30" is not a date: 2026-02-30 does not exist/,
  );
  assert.equal(clockOf({ env: {} }, undefined).given, false);
});
