// Generated postgresql.conf / pg_hba.conf variants (seeded, test/postgres/conf-gen.ts): Rampart's
// collector on the files vs the real PostgreSQL 15 (postgres -C, a real start, pg_settings), item by item.
// Usage (as root: the server runs as postgres): npx tsx bench/agree-pg.ts [--cases N] [--seed S]
import { parseArgs } from 'node:util';
import { formatSummary } from '../test/redis/agree-harness.js';
import { runPgAgreement } from '../test/postgres/agree-harness.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '200' }, seed: { type: 'string', default: '1' } } });
const s = await runPgAgreement(Number(values.seed), Number(values.cases));
console.log(formatSummary('pg', s));
process.exit(s.falsePass > 0 ? 1 : 0);
