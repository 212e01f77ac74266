// Generated redis.conf variants (seeded, test/redis/conf-gen.ts): Rampart's offline model and verdicts
// vs the real redis-server 7.0 (refusal, CONFIG GET, ACL LIST, COMMAND INFO), item by item.
// Usage: npx tsx bench/agree-redis.ts [--cases N] [--seed S]
import { parseArgs } from 'node:util';
import { formatSummary, runRedisAgreement } from '../test/redis/agree-harness.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '300' }, seed: { type: 'string', default: '1' } } });
const s = await runRedisAgreement(Number(values.seed), Number(values.cases));
console.log(formatSummary('redis', s));
process.exit(s.falsePass > 0 ? 1 : 0);
