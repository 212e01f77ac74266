// Agreement with the real PostgreSQL 15 on generated configurations (test/postgres/conf-gen.ts, seeded):
// whether it starts (postgres -C, then a real start: pg_hba.conf, ssl files, libraries), and the
// running listen_addresses, port, ssl*, password_encryption, log_* and shared_preload_libraries, item
// by item against Rampart's collector on the same files. More: npx tsx bench/agree-pg.ts --cases 1000.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatSummary } from '../redis/agree-harness.js';
import { runPgAgreement } from './agree-harness.js';
import { requirePostgres } from './pg-server.js';

const CASES = 100;

test(`postgres: ${CASES} generated configurations agree with PostgreSQL 15, no false pass`, { timeout: 180_000 }, async (t) => {
  if (!requirePostgres(t)) return;
  const s = await runPgAgreement(20261203, CASES);
  const report = formatSummary('pg', s);
  t.diagnostic(report.split('\n')[0]!);
  assert.equal(s.falsePass, 0, report);
  assert.equal(s.agree, s.items, report);
  assert.ok(s.items > CASES * 3, `too few items compared: ${s.items}`);
});
