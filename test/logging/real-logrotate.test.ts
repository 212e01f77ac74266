// Real component: logrotate 3.21 itself (debug mode, `-d`, nothing is rotated) decides the
// effective rotation of each fixture; the offline resolver must reach the same per-file settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { requireCommands } from '../helpers.js';
import { caseRoot, factsAt } from './fixture.js';

const CASES = [
  'debian12-rsyslog-default',
  'rsyslog-rotate-13-weekly.pass',
  'maxage-30.fail',
  'size-only.warn',
  'include-dir-override',
  'global-after-include.fail',
  'malformed-logrotate',
];
const FREQ: Record<string, string> = { hourly: 'hourly', 'after 1 days': 'daily', weekly: 'weekly', monthly: 'monthly', yearly: 'yearly' };

/** Points the fixture's logrotate configs at the temp root (after the offline collector has read them). */
function relocate(root: string): void {
  const files = [
    join(root, 'etc/logrotate.conf'),
    ...readdirSync(join(root, 'etc/logrotate.d')).map((n) => join(root, 'etc/logrotate.d', n)),
  ];
  for (const f of files) {
    if (!statSync(f).isFile()) continue;
    const text = readFileSync(f, 'utf8')
      .replaceAll('/var/log/', `${root}/var/log/`)
      .replaceAll('include /etc/logrotate.d', `include ${root}/etc/logrotate.d`);
    writeFileSync(f, text);
  }
}

/** Per log: criterion and rotate count from `logrotate -d` ("rotating pattern: P  weekly (4 rotations)", "considering log L"). */
function debugSettings(out: string, root: string): Map<string, { criterion: string; rotate: number | null }> {
  const res = new Map<string, { criterion: string; rotate: number | null }>();
  let cur: { criterion: string; rotate: number | null } | null = null;
  let header = false;
  for (const line of out.split('\n')) {
    if (line.startsWith('rotating pattern: ')) header = true;
    // A block of several paths spans several lines; the settings follow the last one.
    const p = header
      ? /(?:^ |\s{2})(hourly|after 1 days|weekly|monthly|yearly|(\d+) bytes|forced from command line)(?: \((?:(\d+) rotations|(no old logs will be kept))\))?/.exec(
          line,
        )
      : null;
    if (p) {
      header = false;
      cur = { criterion: p[2] ? 'size' : (FREQ[p[1]!] ?? 'forced'), rotate: p[3] ? Number(p[3]) : p[4] ? 0 : null };
      continue;
    }
    const c = /^considering log (.*)$/.exec(line);
    if (c && cur) res.set(c[1]!.replace(root, ''), cur);
  }
  return res;
}

const run = (root: string, force: boolean) =>
  spawnSync('logrotate', ['-d', ...(force ? ['-f'] : []), '-s', join(root, 'state'), join(root, 'etc/logrotate.conf')], {
    encoding: 'utf8',
    timeout: 30_000,
  });

for (const name of CASES) {
  test(`logrotate -d and the offline resolver agree: ${name}`, async (t) => {
    if (!requireCommands(t, 'logrotate')) return;
    const root = caseRoot(t, name === 'debian12-rsyslog-default' ? null : name, ['rsyslog']);
    const facts = await factsAt(root);
    relocate(root);
    for (const f of facts.logFiles) writeFileSync(join(root, f.path), 'x\n');
    const r = run(root, false);
    const out = r.stdout + r.stderr;
    if (facts.logrotate.errors.some((e) => /missing "}"/.test(e.message))) {
      assert.match(out, /error: .*broken/, 'logrotate reports the broken file too');
    }
    const real = debugSettings(out, root);
    assert.ok(facts.logFiles.length >= 2, 'auth.log and syslog');
    for (const f of facts.logFiles) {
      const lr = f.logrotate;
      assert.ok(lr, f.path);
      const d = real.get(f.path);
      assert.ok(d, `logrotate -d considers ${f.path}:\n${out}`);
      assert.equal(lr.criterion.value, d.criterion, `${f.path} criterion`);
      if (d.rotate !== null) assert.equal(lr.rotate.value, d.rotate, `${f.path} rotate`);
      // maxage: with -f, logrotate removes a rotated file older than maxage days ("removing old log").
      // (.2 and .2.gz are planted: with `compress` logrotate looks at the .gz names.)
      if (lr.rotate.value >= 2) {
        const m = lr.maxage.value;
        for (const [age, removed] of m === null
          ? ([[4000, false]] as const)
          : ([
              [m + 1, true],
              [m - 1, false],
            ] as const)) {
          const olds = [`${f.path}.2`, `${f.path}.2.gz`].map((p) => join(root, p));
          const when = Date.now() / 1000 - age * 86400;
          for (const old of olds) {
            writeFileSync(old, 'old\n');
            utimesSync(old, when, when);
          }
          const forced = run(root, true);
          const base = join(root, f.path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          assert.equal(
            new RegExp(`removing old log ${base}\\.2(?:\\.gz)?$`, 'm').test(forced.stdout + forced.stderr),
            removed,
            `${f.path}.2 aged ${age} days: removed=${removed} (maxage ${m})`,
          );
          for (const old of olds) rmSync(old, { force: true });
        }
      }
    }
  });
}
