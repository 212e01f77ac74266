// Agreement with the real redis-server 7.0 on generated configurations (test/redis/conf-gen.ts, seeded):
// whether it starts, and the running bind, protected-mode, ports, TLS files, DEBUG/MODULE switches,
// requirepass, default user and dangerous commands, item by item against Rampart's offline model.
// More cases: npx tsx bench/agree-redis.ts --cases 1000 --seed N.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requireCommands } from '../helpers.js';
import { formatSummary, runRedisAgreement } from './agree-harness.js';

const CASES = 100;

test(`redis: ${CASES} generated configurations agree with redis-server, no false pass`, { timeout: 120_000 }, async (t) => {
  if (!requireCommands(t, 'redis-server', 'openssl')) return;
  const s = await runRedisAgreement(20261203, CASES);
  const report = formatSummary('redis', s);
  t.diagnostic(report.split('\n')[0]!);
  assert.equal(s.falsePass, 0, report);
  // Every disagreement is a bug to fix or a class to name in bench/agree-redis.ts's output.
  assert.equal(s.agree, s.items, report);
  assert.ok(s.items > CASES * 5, `too few items compared: ${s.items}`);
});
