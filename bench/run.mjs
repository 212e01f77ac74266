#!/usr/bin/env node
// Rampart benchmark: Rampart against Lynis, OpenSCAP, apt-get and find, same machine, same run.
//
//   npm run bench                          the recorded configuration (5 timed runs after 1 warm-up)
//   BENCH_RUNS=1 BENCH_SKIP=lynis npm run bench      while developing
//
// Environment:
//   BENCH_RUNS=N          timed runs per measurement (default 5; one untimed warm-up run precedes them)
//   BENCH_SKIP=a,b        leave out measurements: lynis, oscap, apt, find, tree (find + ww),
//                         full, noscan, pending, ww, roundtrips
//   BENCH_TREE_FILES=N    files in the world-writable scan tree (default 500000)
//   BENCH_TREE_DIR=DIR    where the tree is created (default /var/tmp; removed at the end)
//
// Writes a JSON record to /tmp/rampart-bench-<time>.json and prints a Markdown block for BENCHMARKS.md.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { GNU_TIME, measure } from './measure.mjs';
import {
  containerVerdict,
  countResults,
  findDebianDatastream,
  hostDebianMajor,
  notApplicableRules,
  patchDatastream,
  rulesWithPlatform,
  STANDARD_PROFILE,
} from './oscap.mjs';
import { markdownBlock, printTable, evaluateTargets } from './report.mjs';
import { loadAverage, machineFacts } from './system.mjs';
import { createTree, removeTree } from './tree.mjs';
import { roundTripLine, roundTrips } from './roundtrips.mjs';

// ANSI escape sequences (Lynis moves the cursor even with --no-colors)
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let RAMPART = join(REPO, 'bin', 'rampart.js');
const SCAN_IDS = ['patch.pending-security-updates', 'fs.no-world-writable'];

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`bench: BENCH_RUNS must be a positive integer, not "${process.env.BENCH_RUNS}"`);
  process.exit(2);
}
const SKIP = new Set(
  (process.env.BENCH_SKIP ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const KNOWN = ['lynis', 'oscap', 'apt', 'find', 'tree', 'full', 'noscan', 'pending', 'ww', 'roundtrips'];
for (const s of SKIP) {
  if (!KNOWN.includes(s)) {
    console.error(`bench: BENCH_SKIP: unknown name "${s}" (${KNOWN.join(', ')})`);
    process.exit(2);
  }
}
if (SKIP.has('tree')) {
  SKIP.add('find');
  SKIP.add('ww');
}
const TREE_FILES = Number(process.env.BENCH_TREE_FILES ?? 500_000);
const TREE_DIR = process.env.BENCH_TREE_DIR ?? '/var/tmp';
const DEFAULTS = RUNS === 5 && SKIP.size === 0 && TREE_FILES === 500_000;

const log = (s) => process.stderr.write(`${s}\n`);
const scratch = mkdtempSync(join(tmpdir(), 'rampart-bench-'));
let tree = null;

function dropTree() {
  if (tree) {
    log(`removing ${tree.root} …`);
    const s = removeTree(tree.root);
    log(`removed in ${s.toFixed(1)} s`);
    tree = null;
  }
}

function cleanup() {
  dropTree();
  rmSync(scratch, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    log(`\nbench: ${sig}, cleaning up`);
    cleanup();
    process.exit(130);
  });
}

// ---------- Rampart helpers ----------

function firstLines(text, n = 3) {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, n)
    .join(' | ');
}

/** Exit 0 (nothing at --fail-on) and 1 (findings) are normal; anything else is an error. */
function acceptRampart(r) {
  if (r.code !== 0 && r.code !== 1) return `exit ${r.code}: ${firstLines(r.stderr) || '(no stderr)'}`;
  try {
    const rep = JSON.parse(r.stdout);
    if (!Array.isArray(rep.results)) return `exit ${r.code} but stdout is not a Rampart JSON report (no results array)`;
  } catch {
    return `exit ${r.code} but stdout is not JSON (${r.stdoutBytes} bytes: ${firstLines(r.stdout, 1).slice(0, 120)}); stderr: ${firstLines(r.stderr) || '(none)'}`;
  }
  return null;
}

function inspectRampart(r) {
  const rep = JSON.parse(r.stdout);
  const notImpl = rep.results.filter((x) => x.status === 'unknown' && /not implemented/i.test(x.summary ?? '')).length;
  return {
    exit: r.code,
    results: rep.results.length,
    summary: rep.summary,
    unknownNotImplemented: notImpl,
    reportDurationMs: rep.durationMs ?? null,
  };
}

/**
 * Copies the built product (bin/, dist/, package.json; node_modules linked) to the scratch dir, so a
 * rebuild of dist/ in the working tree during the run (npm test builds) cannot change or break the
 * code under measurement half-way. Returns the copy's bin/rampart.js.
 */
async function snapshotProduct() {
  // A snapshot taken while dist/ is being rewritten does not load: check it, and try again.
  for (let attempt = 1; ; attempt++) {
    const bin = copyProduct();
    try {
      execFileSync(process.execPath, [bin, 'requirements', '--format', 'json'], { stdio: ['ignore', 'ignore', 'pipe'], cwd: REPO });
      return bin;
    } catch (e) {
      const why = String(e.stderr ?? e.message)
        .split('\n')
        .slice(0, 3)
        .join(' | ');
      if (attempt === 5) throw new Error(`the built product does not load (5 attempts): ${why}`);
      log(`product snapshot does not load (${why}); dist/ may be being rebuilt: trying again in 10 s`);
      await new Promise((r) => setTimeout(r, 10_000));
    }
  }
}

function copyProduct() {
  const app = join(scratch, 'app');
  rmSync(app, { recursive: true, force: true });
  mkdirSync(app);
  cpSync(join(REPO, 'bin'), join(app, 'bin'), { recursive: true });
  cpSync(join(REPO, 'dist'), join(app, 'dist'), { recursive: true });
  cpSync(join(REPO, 'package.json'), join(app, 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(app, 'node_modules'));
  return join(app, 'bin', 'rampart.js');
}

function rampartCatalog() {
  try {
    const out = execFileSync(process.execPath, [RAMPART, 'requirements', '--format', 'json'], { encoding: 'utf8', cwd: REPO });
    const reqs = JSON.parse(out);
    const guide = reqs.filter((r) => r.profile === 'guide');
    return {
      guideRequirements: guide.length,
      guideImplemented: guide.filter((r) => r.implemented).length,
      implemented: new Set(reqs.filter((r) => r.implemented).map((r) => r.id)),
      notImplementedGuide: guide.filter((r) => !r.implemented).map((r) => r.id),
    };
  } catch (e) {
    return { error: String(e.message).split('\n')[0], implemented: new Set() };
  }
}

// ---------- main ----------

async function main() {
  const startedAt = new Date();
  log(`Rampart bench: ${RUNS} timed run(s) after 1 warm-up each${SKIP.size ? `; skipping ${[...SKIP].join(', ')}` : ''}`);
  if (!existsSync(GNU_TIME)) log(`warning: ${GNU_TIME} not found (Debian package "time"): no peak RSS figures`);
  RAMPART = await snapshotProduct();
  log(`product snapshot: ${dirname(dirname(RAMPART))} (a copy of bin/ and dist/ as built)`);
  const machine = machineFacts(REPO);
  const catalog = rampartCatalog();
  const remarks = [];
  const measurements = {};
  // History goes to a scratch state dir: the store's cost is measured, the machine's history is left alone.
  const rampartEnv = { ...process.env, NO_COLOR: '1', RAMPART_STATE_DIR: join(scratch, 'state') };
  const rampartCommon = {
    cwd: REPO,
    env: rampartEnv,
    runs: RUNS,
    timeoutS: 600,
    accept: acceptRampart,
    inspect: inspectRampart,
    log,
    nodeRssHook: join(REPO, 'bench', 'rss-hook.mjs'),
  };

  if (catalog.error) remarks.push(`rampart requirements --format json failed: ${catalog.error}`);
  else
    remarks.push(
      `Rampart implemented ${catalog.guideImplemented} of the ${catalog.guideRequirements} requirements of the guide profile when measured` +
        (catalog.guideImplemented < catalog.guideRequirements ? ' (the rest are not run at all, so they cost nothing here)' : '') +
        '.',
    );

  // 0. Target round trips of an offline collection (cheap: one audit of a fixture root, not timed)
  if (!SKIP.has('roundtrips')) {
    const b = roundTrips('debian12-default', RAMPART);
    measurements.roundTrips = { host: 'debian12-default', ...b };
    log(roundTripLine('debian12-default', b));
    remarks.push(`${roundTripLine('debian12-default', b)}.`);
  }

  // 1. Rampart, live (before the tree exists, so the live world-writable scan sees the machine as it is)
  if (!SKIP.has('full')) {
    log('\n[full] Rampart, whole audit (live)');
    measurements.full = await measure({
      id: 'full',
      label: 'Rampart audit, guide profile (live)',
      argv: [process.execPath, RAMPART, 'audit', '--profile', 'guide', '--format', 'json'],
      ...rampartCommon,
    });
  }
  if (!SKIP.has('noscan')) {
    log('\n[noscan] Rampart, audit without its two scans');
    // While a scan's check is not implemented yet, --skip naming it is a usage error (exit 2): leave
    // such ids out and say so; the audit then already runs without that scan.
    const skipIds = catalog.error ? SCAN_IDS : SCAN_IDS.filter((id) => catalog.implemented.has(id));
    const dropped = SCAN_IDS.filter((id) => !skipIds.includes(id));
    const argv = [
      process.execPath,
      RAMPART,
      'audit',
      '--profile',
      'guide',
      '--format',
      'json',
      ...(skipIds.length ? ['--skip', skipIds.join(',')] : []),
    ];
    measurements.noscan = await measure({ id: 'noscan', label: 'Rampart audit without the two scans (live)', argv, ...rampartCommon });
    if (dropped.length) {
      measurements.noscan.adjusted = `--skip left out ${dropped.join(', ')} (not implemented yet, so not run anyway)`;
      remarks.push(`noscan: ${measurements.noscan.adjusted}.`);
    }
  }
  if (!SKIP.has('pending')) {
    log('\n[pending] Rampart, pending security updates only');
    measurements.pending = await measure({
      id: 'pending',
      label: 'Rampart audit --only patch.pending-security-updates',
      argv: [process.execPath, RAMPART, 'audit', '--only', 'patch.pending-security-updates', '--format', 'json'],
      ...rampartCommon,
      inspect: (r) => {
        const base = inspectRampart(r);
        const res = JSON.parse(r.stdout).results.find((x) => x.id === 'patch.pending-security-updates');
        return { ...base, status: res?.status ?? null, answer: res?.summary ?? null };
      },
    });
  }

  // 2. apt-get -s upgrade
  if (!SKIP.has('apt')) {
    log('\n[apt] apt-get -s upgrade');
    measurements.apt = await measure({
      id: 'apt',
      label: 'apt-get -s upgrade',
      argv: ['apt-get', '-s', 'upgrade'],
      env: { ...process.env, LC_ALL: 'C' },
      runs: RUNS,
      timeoutS: 300,
      log,
      accept: (r) => (r.code === 0 ? null : `exit ${r.code}: ${firstLines(r.stderr)}`),
      inspect: (r) => ({
        upgradable: (r.stdout.match(/^Inst /gm) ?? []).length,
        securityUpgradable: (r.stdout.match(/^Inst .*-security/gm) ?? []).length,
      }),
    });
  }

  // 3. OpenSCAP, ssg-debian standard profile on a patched copy of the datastream
  if (!SKIP.has('oscap')) {
    log('\n[oscap] OpenSCAP, ssg-debian standard profile');
    const ds = findDebianDatastream();
    if (!ds) {
      measurements.oscap = {
        id: 'oscap',
        label: 'oscap xccdf eval (standard)',
        command: 'oscap',
        error: 'no ssg-debian*-ds.xml in /usr/share/xml/scap/ssg/content',
        runs: 0,
        median: null,
      };
    } else {
      const dir = join(scratch, 'oscap');
      rmSync(dir, { recursive: true, force: true });
      execFileSync('mkdir', ['-p', dir]);
      const major = hostDebianMajor();
      const patch = patchDatastream(ds, major, dir);
      log(`  ${ds.path} (Debian ${ds.version}) on Debian ${major}: ${patch.note}`);
      const unpatched = execFileSyncSafe(['oscap', 'xccdf', 'eval', '--profile', STANDARD_PROFILE, ds.path]);
      const before = countResults(unpatched.stdout);
      log(`  unpatched datastream: ${before.evaluated} of ${before.total} rules evaluated ${JSON.stringify(before.counts)}`);
      let lastStdout = '';
      measurements.oscap = await measure({
        id: 'oscap',
        label: `oscap xccdf eval, ssg-debian${ds.version} standard profile (patched for Debian ${major})`,
        argv: ['oscap', 'xccdf', 'eval', '--profile', STANDARD_PROFILE, patch.path],
        cwd: dir,
        runs: RUNS,
        timeoutS: 600,
        log,
        accept: (r) => {
          if (r.code !== 0 && r.code !== 2) return `exit ${r.code}: ${firstLines(r.stderr)}`;
          if (countResults(r.stdout).evaluated === 0) return 'no rule evaluated (all notapplicable): the platform patch did not take';
          return null;
        },
        inspect: (r) => {
          lastStdout = r.stdout;
          const c = countResults(r.stdout);
          return { exit: r.code, rulesInProfile: c.total, rulesEvaluated: c.evaluated, results: c.counts };
        },
      });
      measurements.oscap.patch = { datastream: ds.path, hostMajor: major, ...patch, path: undefined, unpatched: before };
      if (!measurements.oscap.error) {
        const n = measurements.oscap.notes;
        remarks.push(
          `OpenSCAP: ${ds.path.split('/').pop()} targets Debian ${ds.version}; unpatched, ${before.evaluated} of ${before.total} rules of the standard profile evaluated (${Object.entries(
            before.counts,
          )
            .map(([k, v]) => `${v} ${k}`)
            .join(', ')}). ` +
            `The bench ${patch.note}; then ${n.rulesEvaluated} of ${n.rulesInProfile} rules evaluated (${Object.entries(n.results)
              .map(([k, v]) => `${v} ${k}`)
              .join(', ')}).`,
        );
        // Container remark: evaluate the datastream's own container detection; count the rules it gates.
        const verdict = containerVerdict(patch.path);
        const gated = rulesWithPlatform(readFileSync(patch.path, 'utf8'), 'machine');
        const na = notApplicableRules(lastStdout);
        const naGated = na.filter((id) => gated.has(id)).length;
        measurements.oscap.container = { installedEnvIsAContainer: verdict, notApplicable: na.length, notApplicableMachineOnly: naGated };
        remarks.push(
          `OpenSCAP's definition installed_env_is_a_container (/.dockerenv or /run/.containerenv exists) evaluates to ${verdict} on this VM (it carries /.dockerenv), ` +
            `so its CPE platform "machine" is false: ${naGated} of the ${na.length} notapplicable rules are rules restricted to that platform. ` +
            `OpenSCAP therefore evaluated fewer rules here than it would on a host without /.dockerenv.`,
        );
      }
    }
  }

  // 4. Lynis
  if (!SKIP.has('lynis')) {
    log('\n[lynis] lynis audit system --quick --no-colors (≈ 40 s a run)');
    const dir = join(scratch, 'lynis');
    execFileSync('mkdir', ['-p', dir]);
    let lastStdout = '';
    measurements.lynis = await measure({
      id: 'lynis',
      label: 'lynis audit system --quick --no-colors',
      argv: ['lynis', 'audit', 'system', '--quick', '--no-colors'],
      cwd: dir,
      runs: RUNS,
      timeoutS: 900,
      log,
      accept: (r) => (r.code === 0 ? null : `exit ${r.code}: ${firstLines(r.stderr)}`),
      inspect: (r) => {
        lastStdout = r.stdout;
        const tests = /Tests performed\s*:\s*(\d+)/.exec(r.stdout.replace(ANSI, ''));
        const index = /Hardening index\s*:\s*(\d+)/.exec(r.stdout.replace(ANSI, ''));
        return { exit: r.code, testsPerformed: tests ? Number(tests[1]) : null, hardeningIndex: index ? Number(index[1]) : null };
      },
    });
    if (!measurements.lynis.error) {
      const c = lynisContainer(lastStdout);
      measurements.lynis.container = c;
      remarks.push(
        `Lynis on the container question: ${c.log.length ? c.log.map((l) => `"${l}"`).join('; ') : '(no such line in /var/log/lynis.log)'}` +
          `${c.report ? `; report: ${c.report}` : ''}.`,
      );
    }
  }

  // 5. The tree: find and Rampart's world-writable scan
  if (!SKIP.has('find') || !SKIP.has('ww')) {
    log(`\n[tree] creating ${TREE_FILES} files under ${TREE_DIR} …`);
    tree = createTree(TREE_DIR, TREE_FILES);
    log(`  ${tree.root}: ${tree.files} files, ${tree.dirs} directories in ${tree.seconds.toFixed(1)} s`);
    try {
      if (!SKIP.has('find')) {
        log('\n[find] find TREE -xdev -perm -0002 ! -type l');
        measurements.find = await measure({
          id: 'find',
          label: `find TREE -xdev -perm -0002 ! -type l (${tree.files} files)`,
          argv: ['find', tree.root, '-xdev', '-perm', '-0002', '!', '-type', 'l'],
          runs: RUNS,
          timeoutS: 600,
          log,
          accept: (r) => (r.code === 0 ? null : `exit ${r.code}: ${firstLines(r.stderr)}`),
          inspect: (r) => ({ paths: r.stdout.split('\n').filter(Boolean).length, expected: tree.expect.findPaths }),
        });
      }
      if (!SKIP.has('ww')) {
        log('\n[ww] Rampart audit --only fs.no-world-writable --root TREE');
        measurements.ww = await measure({
          id: 'ww',
          label: `Rampart audit --only fs.no-world-writable --root TREE (${tree.files} files)`,
          argv: [process.execPath, RAMPART, 'audit', '--only', 'fs.no-world-writable', '--root', tree.root, '--format', 'json'],
          ...rampartCommon,
          inspect: (r) => {
            const base = inspectRampart(r);
            const res = JSON.parse(r.stdout).results.find((x) => x.id === 'fs.no-world-writable');
            return {
              ...base,
              status: res?.status ?? null,
              findings: res?.findings ? res.findings.filter((f) => f.path !== null).length : null,
              expectedFindings: tree.expect.rampartFindings,
              answer: res?.summary ?? null,
            };
          },
        });
      }
      const f = measurements.find?.notes;
      if (f && f.paths !== f.expected) remarks.push(`find listed ${f.paths} paths in the tree; ${f.expected} were planted.`);
      const w = measurements.ww?.notes;
      if (w && w.findings !== null && w.findings !== w.expectedFindings)
        remarks.push(
          `Rampart's world-writable scan reported ${w.findings} finding(s) on the tree; ${w.expectedFindings} were planted (status ${w.status}: ${w.answer}).`,
        );
      else if (w && w.findings === w.expectedFindings)
        remarks.push(`Rampart's world-writable scan found the ${w.findings} planted entries (status ${w.status}).`);
    } finally {
      const treeInfo = { files: tree.files, dirs: tree.dirs, createSeconds: tree.seconds, where: TREE_DIR, expect: tree.expect };
      dropTree();
      measurements.treeInfo = treeInfo;
    }
  }

  for (const m of Object.values(measurements))
    if (m && m.command)
      m.command = m.command
        .replace(process.execPath, 'node')
        .replace(`${dirname(dirname(RAMPART))}/`, '')
        .replace(/\/\S*rampart-bench-tree-\w+/, 'TREE')
        .replace(/\/tmp\/rampart-bench-\w+\/oscap\/ds\.xml/, 'PATCHED-DS.xml');

  machine.loadAverageAtEnd = loadAverage();
  const targets = evaluateTargets(measurements);
  const record = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `${Object.entries(process.env)
      .filter(([k]) => k.startsWith('BENCH_'))
      .map(([k, v]) => `${k}=${v} `)
      .join('')}npm run bench`,
    defaults: DEFAULTS,
    runs: RUNS,
    skipped: [...SKIP],
    machine,
    rampart: {
      implementedGuide: catalog.guideImplemented ?? null,
      guideRequirements: catalog.guideRequirements ?? null,
      notImplementedGuide: catalog.notImplementedGuide ?? null,
    },
    measurements,
    targets,
    remarks,
  };
  const jsonPath = join('/tmp', `rampart-bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(jsonPath, `${JSON.stringify(record, null, 2)}\n`);

  printTable(record, (s) => process.stdout.write(`${s}\n`));
  process.stdout.write(`\nJSON record: ${jsonPath}\n\n----- Markdown for BENCHMARKS.md -----\n${markdownBlock(record)}----- end -----\n`);
  cleanup();
  if (!DEFAULTS)
    process.stdout.write(
      '\nNote: not the recorded configuration (BENCH_RUNS/BENCH_SKIP/BENCH_TREE_FILES set): do not record these numbers.\n',
    );
}

function execFileSyncSafe(argv) {
  try {
    return {
      code: 0,
      stdout: execFileSync(argv[0], argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 }),
    };
  } catch (e) {
    return { code: e.status ?? null, stdout: String(e.stdout ?? '') };
  }
}

/** What Lynis concluded about virtualisation/containers: its log and report lines. */
function lynisContainer(stdout) {
  const clean = (s) => s.replace(ANSI, '').trim();
  let logLines = [];
  try {
    logLines = readFileSync('/var/log/lynis.log', 'utf8')
      .split('\n')
      .filter((l) => /Result: .*(virtual machine|container)/i.test(l))
      .map((l) => clean(l.replace(/^\S+ \S+ /, '').replace(/^Result: /, '')));
  } catch {
    /* no log */
  }
  let report = null;
  try {
    const dat = readFileSync('/var/log/lynis-report.dat', 'utf8');
    const keys = ['vm', 'vmtype', 'container']
      .map((k) => new RegExp(`^${k}=(.*)$`, 'm').exec(dat))
      .map((m, i) => (m ? `${['vm', 'vmtype', 'container'][i]}=${m[1]}` : null));
    report = keys.filter(Boolean).join(', ') || null;
  } catch {
    /* no report */
  }
  const screen = stdout
    .split('\n')
    .map(clean)
    .filter((l) => /container|docker|virtuali[sz]/i.test(l));
  return { log: [...new Set(logLines)], report, screen };
}

main().catch((e) => {
  log(`bench: ${e.stack ?? e}`);
  cleanup();
  process.exit(2);
});
