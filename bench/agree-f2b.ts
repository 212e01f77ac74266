// Generated Fail2Ban roots (seeded, test/fail2ban/conf-gen.ts): the effective sshd jail, "would it
// start?" and the f2b.* verdicts Rampart derives offline vs the real fail2ban 1.0.2
// (fail2ban-client -d, and a real start of fail2ban-server for every --start-every'th case).
// Usage: npx tsx bench/agree-f2b.ts [--cases N] [--seed S] [--start-every K] [--jobs J]
import { parseArgs } from 'node:util';
import { compareCase, runCases, type Item } from '../test/fail2ban/f2b-agree.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '300' },
    seed: { type: 'string', default: '1' },
    'start-every': { type: 'string', default: '1' },
    jobs: { type: 'string', default: '3' },
    verbose: { type: 'boolean', default: false },
  },
});
const n = Number(values.cases);
const seed0 = Number(values.seed);
const every = Math.max(1, Number(values['start-every']));
const jobs = Math.max(1, Number(values.jobs));

const { done, secs } = await runCases(seed0, n, every, jobs);
let items = 0;
let agree = 0;
let falsePass = 0;
const classes = new Map<string, { n: number; seeds: number[]; example: string }>();
for (const { g, r } of done) {
  const list: Item[] = compareCase(g, r.root, r.truth, r.facts, secs);
  r.cleanup();
  for (const i of list) {
    if (i.name.startsWith('harness:')) {
      if (!i.agree) console.log(`  harness: seed ${g.seed} start predicted ${i.truth}, real ${i.ours} (${i.note})`);
      continue;
    }
    items++;
    if (i.agree) agree++;
    else {
      if (i.falsePass) falsePass++;
      const k = `${i.name}: truth ${i.truth}, rampart ${i.ours}${i.falsePass ? ' [FALSE PASS]' : ''}`;
      const c = classes.get(k) ?? { n: 0, seeds: [], example: `${i.note} {${g.tags.join(' ')}}` };
      c.n++;
      if (c.seeds.length < 5) c.seeds.push(g.seed);
      classes.set(k, c);
    }
  }
}
console.log(
  `agree-f2b: cases=${n} items=${items} agree=${agree} (${((100 * agree) / Math.max(items, 1)).toFixed(2)}%) false-pass=${falsePass}`,
);
for (const [k, v] of [...classes].sort((a, b) => b[1].n - a[1].n))
  console.log(`  ${v.n}× ${k} (seeds ${v.seeds.join(',')})${values.verbose ? `\n      ${v.example}` : ''}`);
process.exit(falsePass > 0 ? 1 : 0);
