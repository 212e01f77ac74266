// Ansible inventories: Rampart's reader against ansible-core's own (test/fleet/agree-inventory.ts,
// shared with the suite). `npx tsx bench/agree-inventory.ts --cases N --seed S`; bench/agree.mjs runs it.
import { agreeInventories, agreementLine } from '../test/fleet/agree-inventory.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const a = agreeInventories(arg('--cases', 300), arg('--seed', 1));
console.log(agreementLine(a));
console.log(`  inventories ansible-core refuses: ${a.refused}`);
for (const [cls, { count, example }] of a.classes) console.log(`  ${cls}: ${count} (e.g. ${example})`);
process.exitCode = a.falsePass > 0 ? 1 : 0;
