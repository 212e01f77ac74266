#!/usr/bin/env node
// The verdict-identity proof of a redesign: the JSON results of every fixture root of the suite
// (each directory under test/fixtures that holds an etc/, modes manifests applied) and of a live
// audit of this machine, with the timings stripped, written to DIR — then compared with another DIR.
//
//   node scripts/verdict-identity.mjs record DIR [--no-live]
//   node scripts/verdict-identity.mjs compare DIR_BEFORE DIR_AFTER
//
// A live audit depends on what runs on this machine at the time: record both runs on an idle machine.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const BIN = join(ROOT, 'bin', 'rampart.js');
const NOW = '2026-06-01T12:00:00Z';
const TIMING_KEYS = new Set(['durationMs', 'startedAt', 'collectedAt', 'timings', 'elapsedMs', 'batch']);

/** Every directory under test/fixtures whose child etc/ is a directory: a root the suite audits. */
function fixtureRoots(dir = FIXTURES, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const p = join(dir, e.name);
    if (e.name === 'etc') out.push(dir);
    else fixtureRoots(p, out);
  }
  return [...new Set(out)].sort();
}

/** Removes what changes from run to run without a verdict changing. */
function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) if (!TIMING_KEYS.has(k)) out[k] = strip(v);
  return out;
}

function audit(args, tmpRoot) {
  const env = { ...process.env, NO_COLOR: '1', RAMPART_STATE_DIR: mkdtempSync(join(tmpdir(), 'vi-state-')) };
  const r = spawnSync(process.execPath, [BIN, 'audit', '--format', 'json', '--no-store', '--now', NOW, ...args], {
    encoding: 'utf8',
    env,
    timeout: 300_000,
    maxBuffer: 1 << 28,
  });
  rmSync(env.RAMPART_STATE_DIR, { recursive: true, force: true });
  r.stdout = r.stdout.split(env.RAMPART_STATE_DIR).join('<state>');
  let body;
  try {
    body = strip(JSON.parse(r.stdout));
  } catch {
    body = { unparsable: r.stdout.slice(0, 2000) };
  }
  // Paths of the temp copy vary per run: name them after the fixture.
  const text = JSON.stringify({ exit: r.status, stderr: r.stderr.trim().split('\n').filter(Boolean).length, report: body }, null, 1);
  return tmpRoot ? text.split(tmpRoot).join('<root>') : text;
}

/** Copies a root to a temp dir and applies the modes manifest beside its top-level fixture, if any. */
function copyRoot(root) {
  const dir = mkdtempSync(join(tmpdir(), 'vi-root-'));
  cpSync(root, dir, { recursive: true, verbatimSymlinks: true });
  const manifest = `${root}.modes`;
  if (existsSync(manifest)) {
    for (const line of readFileSync(manifest, 'utf8').split('\n')) {
      const m = /^(\S+)\s+(0[0-7]{3,4})$/.exec(line.trim());
      if (m) chmodSync(join(dir, m[1]), parseInt(m[2], 8));
    }
  }
  return dir;
}

function record(outDir, live) {
  mkdirSync(outDir, { recursive: true });
  const roots = fixtureRoots();
  for (const root of roots) {
    const name = relative(FIXTURES, root).replaceAll('/', '__');
    const copy = copyRoot(root);
    writeFileSync(join(outDir, `${name}.json`), audit(['--root', copy, '--target-name', name], copy));
    rmSync(copy, { recursive: true, force: true });
  }
  if (live) writeFileSync(join(outDir, '_live.json'), audit([]));
  console.log(`recorded ${roots.length} fixture roots${live ? ' and a live audit' : ''} in ${outDir}`);
}

function compare(a, b) {
  const names = [...new Set([...readdirSync(a), ...readdirSync(b)])].sort();
  let differ = 0;
  for (const n of names) {
    const x = existsSync(join(a, n)) ? readFileSync(join(a, n), 'utf8') : null;
    const y = existsSync(join(b, n)) ? readFileSync(join(b, n), 'utf8') : null;
    if (x === y) continue;
    differ++;
    if (differ > 20) continue;
    if (x === null || y === null) {
      console.log(`${n}: only in ${x === null ? b : a}`);
      continue;
    }
    const xl = x.split('\n');
    const yl = y.split('\n');
    const first = xl.findIndex((l, i) => l !== yl[i]);
    console.log(`${n}: differs from line ${first + 1}\n  - ${xl[first]}\n  + ${yl[first]}`);
  }
  console.log(`verdict identity: ${names.length - differ}/${names.length} identical`);
  process.exitCode = differ ? 1 : 0;
}

const [cmd, ...rest] = process.argv.slice(2);
if (cmd === 'record' && rest[0]) record(rest[0], !rest.includes('--no-live'));
else if (cmd === 'compare' && rest[1]) compare(rest[0], rest[1]);
else {
  console.error('usage: verdict-identity.mjs record DIR [--no-live] | compare DIR_A DIR_B');
  process.exitCode = 2;
}
