#!/usr/bin/env node
// Target round trips of a whole offline collection (issue 10 §2): the batch runner fetches what the
// collectors declare in one batch, then one batch per wave of reads that depend on earlier answers.
//
//   node bench/roundtrips.mjs [HOST...]      fixture hosts under test/fixtures/hosts (default debian12-default)
//
// Prints "round trips: offline HOST N (requests M)" per host; bench/run.mjs prints the same line.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const HOSTS = join(REPO, 'test', 'fixtures', 'hosts');

/** The collection's batch figures for one fixture host, audited with `rampart` (a path to bin/rampart.js). */
export function roundTrips(host, rampart = join(REPO, 'bin', 'rampart.js')) {
  const root = mkdtempSync(join(tmpdir(), `rampart-rt-${host}-`));
  const state = mkdtempSync(join(tmpdir(), 'rampart-rt-state-'));
  try {
    cpSync(join(HOSTS, host), root, { recursive: true, verbatimSymlinks: true });
    let modes = '';
    try {
      modes = readFileSync(join(HOSTS, `${host}.modes`), 'utf8');
    } catch {
      // no manifest: modes as checked out
    }
    for (const line of modes.split('\n')) {
      const m = /^(\S+)\s+(0[0-7]{3,4})$/.exec(line.trim());
      if (m) chmodSync(join(root, m[1]), parseInt(m[2], 8));
    }
    const r = spawnSync(
      process.execPath,
      [rampart, 'audit', '--root', root, '--format', 'json', '--no-store', '--now', '2026-06-01T12:00:00Z', '--target-name', host],
      { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', RAMPART_STATE_DIR: state }, maxBuffer: 1 << 28 },
    );
    const batch = JSON.parse(r.stdout).batch;
    if (!batch)
      throw new Error(`rampart audit --root ${host}: no batch figures in the report (exit ${r.status}): ${r.stderr.slice(0, 300)}`);
    return batch;
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  }
}

export function roundTripLine(host, b) {
  const direct = Object.entries(b.direct)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return `round trips: offline ${host} ${b.roundTrips} (requests ${b.requests}; per batch ${b.batches.join('+')}${direct ? `; direct calls: ${direct}` : ''}; ${b.bytes} bytes)`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const hosts = process.argv.slice(2);
  for (const host of hosts.length ? hosts : ['debian12-default']) console.log(roundTripLine(host, roundTrips(host)));
}
