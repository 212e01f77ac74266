// npm run fuzz [-- --runs N --only NAME --seed S]: N inputs per parser (default 100,000), one table row each.
import { TARGETS } from './index.js';
import { fuzzTarget, HANG_MS } from './harness.js';

const args = process.argv.slice(2);
const opt = (n: string) => {
  const i = args.indexOf(n);
  return i >= 0 ? args[i + 1] : undefined;
};
const runs = Number(opt('--runs') ?? 100_000);
const seed = Number(opt('--seed') ?? 13);
const only = opt('--only');
const targets = TARGETS.filter((t) => only === undefined || t.name.toLowerCase().includes(only.toLowerCase()));
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed) || targets.length === 0) {
  console.error('usage: npm run fuzz -- [--runs N] [--seed S] [--only NAME]');
  process.exit(2);
}
let bad = 0;
console.log(`| parser | inputs | crashes | hangs (> ${HANG_MS} ms) | round-trip failures | errors without line | slowest input ms |`);
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const t of targets) {
  const s = fuzzTarget(t, runs, seed);
  bad += s.crashes + s.hangs + s.roundTripFailures + s.lineFailures;
  console.log(
    `| ${s.name} | ${s.inputs} | ${s.crashes} | ${s.hangs} | ${t.print ? s.roundTripFailures : 'n/a'} | ${s.lineFailures} | ${s.slowestMs.toFixed(1)} |`,
  );
  if (s.firstFailure) console.error(`  ${s.name}: ${s.firstFailure}`);
  if (process.env.FUZZ_VERBOSE) console.error(`  ${s.name} slowest: ${s.slowestInput}`);
}
process.exit(bad === 0 ? 0 : 1);
