// ssh.config-valid against the real sshd: Debian 12's sshd_config mutated (seeded, test/sshd/valid-gen.ts),
// the truth is `sshd -t -f FILE -h KEY` (OpenSSH 9.2, in a private mount namespace), Rampart's answer the
// file model's validity. A false pass: Rampart says valid, sshd refuses.
// Usage: npx tsx bench/agree-sshd-valid.ts [--cases N] [--seed S] [--verbose] [--classes a,b]
import { parseArgs } from 'node:util';
import { compareSshdValid, SSHD_VALID_CLASSES } from '../test/sshd/valid-gen.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    verbose: { type: 'boolean', default: false },
    classes: { type: 'string' },
  },
});
const n = Number(values.cases);
const results = await compareSshdValid(Number(values.seed), n, values.classes ? values.classes.split(',') : SSHD_VALID_CLASSES);
let agree = 0;
let falsePass = 0;
const classes = new Map<string, { count: number; example: string }>();
for (const r of results) {
  if (r.sshd.valid === r.rampart.valid) {
    agree++;
    continue;
  }
  if (r.rampart.valid) falsePass++;
  const k = `${r.rampart.valid ? 'false pass' : 'false fail'}: ${r.c.label}`;
  const example = `seed ${r.c.seed}: sshd ${JSON.stringify(r.sshd.output.split('\n').slice(-2).join(' | ').slice(0, 160))}; rampart ${JSON.stringify(r.rampart.reason)}`;
  const c = classes.get(k);
  if (c) c.count++;
  else classes.set(k, { count: 1, example });
}
console.log(
  `agree-sshd-valid: cases=${n} items=${results.length} agree=${agree} (${((100 * agree) / Math.max(results.length, 1)).toFixed(2)}%) false-pass=${falsePass}`,
);
for (const [k, v] of [...classes].sort((a, b) => b[1].count - a[1].count))
  console.log(`  ${v.count}× ${k}${values.verbose ? `\n      ${v.example}` : ''}`);
process.exit(falsePass > 0 ? 1 : 0);
