// Agreement with the real programs on generated configurations (issue "Trustworthy verdicts" §6).
// Runs every bench/agree-*.ts (each compares Rampart's model with a real binary on seeded,
// generated configurations and prints its figures) with more cases than the suite's slice.
// Usage: node bench/agree.mjs [--cases N] [name...]   (names: the part after agree-, e.g. sshd)
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let cases = '2000';
const names = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--cases') cases = args[++i];
  else names.push(args[i]);
}
const files = readdirSync(here)
  .filter((f) => /^agree-.+\.ts$/.test(f))
  .filter((f) => names.length === 0 || names.includes(f.slice(6, -3)))
  .sort();
let worst = 0;
for (const f of files) {
  console.log(`\n## ${f} (--cases ${cases})`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(here, f), '--cases', cases], {
    stdio: 'inherit',
    cwd: resolve(here, '..'),
  });
  worst = Math.max(worst, r.status ?? 1);
}
process.exit(worst);
