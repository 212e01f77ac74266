// The inputs that were slow or endless in the fuzz runs (issue 13, BENCHMARKS.md "Fuzzing (issue 13)"),
// timed at 1× and 4× their size: a linear parser takes about 4× as long on the bigger one (a quadratic
// one 16×). The suite asserts the answers (test/fuzz/regressions.test.ts); times live here.
//
//   npx tsx bench/hostile-parsers.ts
//
// Prints one line per input: "NAME: 1x N ms, 4x M ms (ratio R)" (best of 3 each).
import { parseAptConf } from '../src/collect/parse/apt-conf.js';
import { scanBorgmatic } from '../src/collect/parse/backup-commands.js';
import { parseComposeFile } from '../src/collect/parse/compose-file.js';
import { parseConfigText } from '../src/cli/config-load.js';
import { parseNginxConfig } from '../src/collect/parse/nginx.js';

const keys = (n: number) => Array.from({ length: n }, (_, i) => `x-k${i}: ${i}`).join('\n');
const CASES: Array<[string, (n: number) => () => unknown, number]> = [
  ['apt config: a line of "x x x …"', (n) => () => parseAptConf('x '.repeat(n), '/a'), 44_000],
  ['apt config: a line of quotes', (n) => () => parseAptConf('"'.repeat(n), '/a'), 88_000],
  ['compose: distinct top-level keys', (n) => () => parseComposeFile(`services:\n  a:\n    image: x\n${keys(n)}\n`, '/c.yaml', {}), 10_000],
  ['compose: nested [', (n) => () => parseComposeFile(`services:\n${'['.repeat(n)}\n`, '/c.yaml', {}), 60_000],
  [
    'borgmatic: repositories',
    (n) => () =>
      scanBorgmatic(`location:\n  repositories:\n${Array.from({ length: n }, (_, i) => `    - path: ssh://u@h${i}/./r`).join('\n')}\n`, {}),
    2_000,
  ],
  ['borgmatic: nested {', (n) => () => scanBorgmatic(`repositories: ${'{'.repeat(n)}\n`, {}), 45_000],
  [
    'rampart config: distinct keys',
    (n) => () => {
      try {
        parseConfigText(keys(n), 'c.yaml');
      } catch {
        // refused as unknown keys: the time is what is measured
      }
    },
    10_000,
  ],
  ['nginx: unclosed ${ repeated', (n) => () => parseNginxConfig('a ${b '.repeat(n), '/n.conf'), 10_000],
];

function best(f: () => unknown): number {
  let min = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    f();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

for (const [name, make, n] of CASES) {
  const a = best(make(n));
  const b = best(make(4 * n));
  console.log(`${name}: 1x ${a.toFixed(1)} ms, 4x ${b.toFixed(1)} ms (ratio ${(b / a).toFixed(1)})`);
}
