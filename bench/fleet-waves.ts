// Payload waves of one full-catalog audit over SSH (issue 11 performance): one loopback lab host
// (test/fleet/ssh-hosts.ts, needs root and sshd), the collection run through SshTarget, and the
// payloads, requests, walks and connects it took, with the time.
//
//   npx tsx bench/fleet-waves.ts [--only AREA] [--verbose]
//
// Prints "fleet-waves: payloads=P requests=R walks=W connects=C seconds=S" (and with --verbose one
// line per wave: its size and ops).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSnapshot } from '../src/audit.js';
import { CHECKS } from '../src/checks/index.js';
import { DEFAULT_CONFIG } from '../src/config/schema.js';
import { selectChecks } from '../src/evaluate/select.js';
import { SshTarget } from '../src/target/ssh-target.js';
import { startSshLab } from '../test/fleet/ssh-hosts.js';

const args = process.argv.slice(2);
const only = args.includes('--only') ? [args[args.indexOf('--only') + 1] as string] : [];
const verbose = args.includes('--verbose');
const sel = selectChecks(CHECKS, { profile: 'guide', only, skip: [] });
if (!sel.ok) throw new Error('bad selection');
const lab = await startSshLab({ ok: 1 });
const state = mkdtempSync(join(tmpdir(), 'rampart-waves-state-'));
const now = new Date('2026-06-01T12:00:00Z');
const remote = new SshTarget({ name: 'host1', dest: { host: 'host1' }, sshConfig: lab.sshConfig });
try {
  if ((await remote.open()) !== null) throw new Error(`cannot open host1: ${remote.failure?.message}`);
  const t0 = performance.now();
  await collectSnapshot(remote, DEFAULT_CONFIG, {
    checks: sel.checks,
    state: { dir: state, explicit: true },
    clock: () => now,
    now,
    collectorTimeoutMs: 180_000,
    commandTimeoutMs: 15_000,
    targetName: 'host1',
  });
  const s = (performance.now() - t0) / 1000;
  const t = remote.trips;
  if (verbose) remote.waveLog.forEach((w, i) => console.log(`  wave ${i + 1}: ${w}`));
  if (verbose) console.log(`  walks: ${remote.walkMs.map((ms) => `${ms} ms`).join(', ')}`);
  console.log(
    `fleet-waves: payloads=${t.payloads} requests=${t.requests} walks=${t.walks} connects=${t.connects} seconds=${s.toFixed(1)}${remote.failure ? ` failure=${remote.failure.message}` : ''}`,
  );
} finally {
  await remote.close();
  await lab.stop();
  rmSync(state, { recursive: true, force: true });
}
