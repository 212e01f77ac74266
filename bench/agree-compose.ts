// Compose files with anchors, merge keys and aliases (seeded, test/docker/compose-yaml-gen.ts):
// the service settings Rampart derives vs Debian 12's `docker-compose config` (1.29).
// Usage: npx tsx bench/agree-compose.ts [--cases N] [--seed S]
import { parseArgs } from 'node:util';
import { generateCompose } from '../test/docker/compose-yaml-gen.js';
import { compareCompose } from '../test/docker/compose-agree.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '300' }, seed: { type: 'string', default: '1' } } });
const n = Number(values.cases);
const seed0 = Number(values.seed);
let items = 0;
let agree = 0;
let oneSided = 0;
let falsePass = 0;
const classes = new Map<string, number>();
for (let seed = seed0; seed < seed0 + n; seed++) {
  const g = generateCompose(seed);
  const c = await compareCompose(g.text);
  if (c.refused) {
    if (!(c.refused.ours && c.refused.theirs)) {
      oneSided++;
      const k = `refused by ${c.refused.ours ? 'rampart' : 'docker-compose'}: ${(c.refused.ours ?? c.refused.theirs ?? '').slice(0, 80)}`;
      classes.set(k, (classes.get(k) ?? 0) + 1);
    }
    continue;
  }
  for (const i of c.items) {
    items++;
    if (i.agree) agree++;
    else {
      // A false pass: Rampart sees a harder setting than the real effective one.
      if (
        (i.field === 'ro' && i.ours === true) ||
        (i.field === 'priv' && i.ours === false) ||
        (i.field === 'drop' && JSON.stringify(i.ours).includes('ALL'))
      )
        falsePass++;
      const k = `${i.field} (${g.label})`;
      classes.set(k, (classes.get(k) ?? 0) + 1);
    }
  }
}
console.log(
  `agree-compose: cases=${n} items=${items} agree=${agree} (${((100 * agree) / Math.max(items, 1)).toFixed(2)}%) false-pass=${falsePass} one-sided-refusals=${oneSided}`,
);
for (const [k, v] of [...classes].sort((a, b) => b[1] - a[1])) console.log(`  ${v}× ${k}`);
process.exit(falsePass > 0 || oneSided > 0 ? 1 : 0);
