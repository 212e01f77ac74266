// sshd configurations full of Match blocks (seeded, test/sshd/match-gen.ts): the file model's
// effective values for every connection Rampart judges vs the real `sshd -T -C` (OpenSSH 9.2).
// sshd -T needs /run/sshd; without it this re-runs itself in a private mount namespace with a tmpfs
// on /run (the host's /run is never touched). Needs root.
// Usage: npx tsx bench/agree-sshd.ts [--cases N] [--seed S]
import { parseArgs } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync, execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agreeSshd } from '../test/sshd/match-agree.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '300' }, seed: { type: 'string', default: '1' } } });
if (!existsSync('/run/sshd')) {
  const r = spawnSync(
    'unshare',
    [
      '-m',
      'bash',
      '-c',
      'mount -t tmpfs rampart-bench /run && mkdir /run/sshd && exec "$@"',
      'bash',
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: 'inherit' },
  );
  process.exit(r.status ?? 1);
}
const work = mkdtempSync(join(tmpdir(), 'rampart-agree-sshd-'));
const key = join(work, 'hostkey');
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
const n = Number(values.cases);
const seed0 = Number(values.seed);
const r = await agreeSshd(
  Array.from({ length: n }, (_, i) => seed0 + i),
  work,
  key,
);
rmSync(work, { recursive: true, force: true });
console.log(
  `agree-sshd: cases=${r.cases} items=${r.items} agree=${r.agree} (${((100 * r.agree) / Math.max(r.items, 1)).toFixed(2)}%) false-pass=${r.falsePass} refused-by-sshd=${r.refused.length}`,
);
const classes = new Map<string, number>();
for (const d of r.disagreements) {
  const k = d.replace(/^seed \d+ /, '').replace(/ user=\S*.*? (\w+): ours/, ' $1: ours');
  classes.set(k, (classes.get(k) ?? 0) + 1);
}
for (const [k, v] of [...classes].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${v}× ${k}`);
for (const x of r.refused.slice(0, 10)) console.log(`  refused: ${x}`);
process.exit(r.falsePass > 0 || r.disagreements.length > 0 ? 1 : 0);
