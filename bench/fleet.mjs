#!/usr/bin/env node
// Fleet bench (issue 11): N loopback sshd hosts (test/fleet/ssh-hosts.ts, 127.0.1.K:22), same run:
//   rampart audit --inventory (--forks 10 and 25)   against
//   ansible all -m setup (ansible-core; same hosts, key, known_hosts through the lab's ssh config),
//   a bare `ssh HOST sh -s < payload` fan-out with xargs -P (the floor: the very payload scripts
//   rampart sent to one host, replayed in one trip per host), and `ssh HOST true` (xargs -P).
// Plus a simulated fleet of BENCH_FLEET_SIM hosts (default 1000) all pointing at the lab hosts via
// ansible_host: hosts/s and memory.
//
//   npm run bench:fleet                         (npm run build, then node --import tsx bench/fleet.mjs)
//   BENCH_FLEET_SIZES=20,50 BENCH_FLEET_SIM=1000 BENCH_FLEET_SIM_ONLY=ssh
//
// Memory: peak of the summed RSS of the measured process and all its descendants (ssh children,
// sshd is not counted: it is the hosts' side), sampled from /proc every 50 ms.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setInterval, clearInterval } from 'node:timers';
import { startSshLab } from '../test/fleet/ssh-hosts.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RAMPART = join(REPO, 'bin', 'rampart.js');
const NOW = '2026-06-01T12:00:00Z';
// BENCH_FLEET_SIZES=0: no N-host comparison (the simulated fleet only).
const SIZES = (process.env.BENCH_FLEET_SIZES ?? '20,50')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const SIM = Number(process.env.BENCH_FLEET_SIM ?? 1000);
const SIM_ONLY = process.env.BENCH_FLEET_SIM_ONLY ?? 'ssh';
// BENCH_FLEET_ONLY=AREA: the 20/50-host rampart runs audit only that (default: the whole catalog).
const ONLY = process.env.BENCH_FLEET_ONLY ? ['--only', process.env.BENCH_FLEET_ONLY] : [];
// Per host (the default 60 s is a per-host deadline; a loaded 2-core machine needs more for a full audit).
const TIMEOUT = ['--timeout', process.env.BENCH_FLEET_TIMEOUT ?? '600'];

function children() {
  const map = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${d}/status`, 'utf8'));
      map.set(Number(d), { ppid, rss: rss ? Number(rss[1]) : 0 });
    } catch {
      // gone
    }
  }
  return map;
}

function treeRss(root) {
  const procs = children();
  const kids = new Map();
  for (const [pid, p] of procs) {
    if (!kids.has(p.ppid)) kids.set(p.ppid, []);
    kids.get(p.ppid).push(pid);
  }
  let sum = 0;
  const stack = [root];
  const seen = new Set();
  while (stack.length) {
    const pid = stack.pop();
    if (seen.has(pid)) continue;
    seen.add(pid);
    sum += procs.get(pid)?.rss ?? 0;
    stack.push(...(kids.get(pid) ?? []));
  }
  return sum;
}

/** Runs argv (optionally through sh -c), timing it and sampling its process tree's RSS. */
function measure(argv, opts = {}) {
  return new Promise((resolveRun) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out.length < 1 << 26 ? (out += c) : null));
    child.stderr.on('data', (c) => (err.length < 1 << 20 ? (err += c) : null));
    let peak = 0;
    const timer = setInterval(() => {
      peak = Math.max(peak, treeRss(child.pid));
    }, 50);
    child.on('close', (code) => {
      clearInterval(timer);
      resolveRun({ code, seconds: (performance.now() - t0) / 1000, peakMiB: peak / 1024, stdout: out, stderr: err });
    });
  });
}

function fanOut(hosts, forks, cmd) {
  // xargs -P: one ssh per host, FORKS at a time (the shell quoting is the bench's own: lab names are plain).
  return ['sh', '-c', `printf '%s\\n' ${hosts.join(' ')} | xargs -P ${forks} -I{} sh -c '${cmd}'`];
}

async function benchSize(n) {
  const lab = await startSshLab({ ok: n });
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-fleet-'));
  const rows = [];
  try {
    const names = lab.hosts.map((h) => h.name);
    const inv = join(dir, 'hosts.ini');
    writeFileSync(inv, `[lab]\nhost[1:${n}]\n`);
    const ansInv = join(dir, 'ansible.ini');
    writeFileSync(
      ansInv,
      `[lab]\nhost[1:${n}]\n[lab:vars]\nansible_ssh_common_args='-F ${lab.sshConfig}'\nansible_python_interpreter=/usr/bin/python3\n`,
    );
    const capture = join(dir, 'payload.sh');
    // Warm-up (and the payload scripts one host receives, for the floor).
    await measure(
      [
        'node',
        RAMPART,
        'audit',
        '--host',
        'host1',
        '--ssh-config',
        lab.sshConfig,
        '--format',
        'json',
        '--no-store',
        '--now',
        NOW,
        ...ONLY,
        ...TIMEOUT,
      ],
      {
        env: { RAMPART_SSH_CAPTURE: capture },
      },
    );
    const payloadBytes = readFileSync(capture).length;
    const record = (what, r, extra = '') => {
      rows.push({ n, what, seconds: r.seconds, peakMiB: r.peakMiB, code: r.code, extra });
      console.log(
        `  ${n} hosts  ${what.padEnd(34)} ${r.seconds.toFixed(2).padStart(7)} s  ${r.peakMiB.toFixed(0).padStart(5)} MiB  exit ${r.code} ${extra}`,
      );
    };
    for (const forks of [10, 25]) {
      const r = await measure([
        'node',
        RAMPART,
        'audit',
        '--inventory',
        inv,
        '--ssh-config',
        lab.sshConfig,
        '--forks',
        String(forks),
        '--format',
        'json',
        '--no-store',
        '--now',
        NOW,
        ...ONLY,
        ...TIMEOUT,
      ]);
      let assessed = '?';
      try {
        const doc = JSON.parse(r.stdout);
        assessed = `${doc.summary.assessed}/${doc.summary.hosts} assessed`;
      } catch {
        assessed = `no document: ${r.stderr.slice(0, 200)}`;
      }
      record(`rampart audit --forks ${forks}`, r, assessed);
    }
    for (const forks of [10, 25]) {
      const r = await measure(['ansible', 'all', '-i', ansInv, '-m', 'setup', '--forks', String(forks), '-o'], {
        env: { ANSIBLE_HOST_KEY_CHECKING: 'True', ANSIBLE_SSH_ARGS: '-o ControlMaster=auto -o ControlPersist=60s', ANSIBLE_NOCOLOR: '1' },
      });
      const ok = (r.stdout.match(/SUCCESS/g) ?? []).length;
      record(`ansible all -m setup --forks ${forks}`, r, `${ok}/${n} SUCCESS`);
    }
    for (const forks of [10, 25]) {
      const r = await measure(
        fanOut(names, forks, `ssh -F ${lab.sshConfig} -o ControlMaster=no -o ControlPath=none {} sh -s < ${capture} > /dev/null`),
      );
      record(`bare ssh sh -s < payload (xargs -P ${forks})`, r, `${payloadBytes} bytes of payload`);
    }
    for (const forks of [10, 25]) {
      const r = await measure(fanOut(names, forks, `ssh -F ${lab.sshConfig} -o ControlMaster=no -o ControlPath=none {} true`));
      record(`ssh true (xargs -P ${forks})`, r);
    }
  } finally {
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

async function benchSim(total) {
  const lab = await startSshLab({ ok: 20, sshdExtra: ['MaxStartups 200:30:400', 'MaxSessions 100'] });
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-fleet-'));
  try {
    const lines = ['[sim]'];
    for (let i = 1; i <= total; i++)
      lines.push(`sim${String(i).padStart(4, '0')} ansible_host=${lab.hosts[(i - 1) % lab.hosts.length].address}`);
    const inv = join(dir, 'sim.ini');
    writeFileSync(inv, `${lines.join('\n')}\n`);
    const r = await measure([
      'node',
      RAMPART,
      'audit',
      '--inventory',
      inv,
      '--ssh-config',
      lab.sshConfig,
      '--forks',
      '25',
      '--only',
      SIM_ONLY,
      '--format',
      'json',
      '--no-store',
      '--now',
      NOW,
      ...TIMEOUT,
    ]);
    let assessed = '?';
    try {
      const doc = JSON.parse(r.stdout);
      assessed = `${doc.summary.assessed}/${doc.summary.hosts} assessed`;
    } catch {
      assessed = `no document: ${r.stderr.slice(0, 200)}`;
    }
    console.log(
      `  simulated ${total} hosts (20 sshd, --forks 25, --only ${SIM_ONLY}): ${r.seconds.toFixed(1)} s, ${(total / r.seconds).toFixed(1)} hosts/s, peak ${r.peakMiB.toFixed(0)} MiB, ${assessed}, exit ${r.code}`,
    );
    return { total, seconds: r.seconds, hostsPerSecond: total / r.seconds, peakMiB: r.peakMiB, assessed };
  } finally {
    await lab.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(
  `fleet bench: ${spawnSync('nproc').stdout.toString().trim()} CPUs, load ${load}, ${spawnSync('ssh', ['-V']).stderr.toString().trim()}`,
);
const all = [];
for (const n of SIZES) all.push(...(await benchSize(n)));
for (const n of SIZES) {
  const get = (w) => all.find((r) => r.n === n && r.what.startsWith(w))?.seconds;
  const best = (prefix) => Math.min(...all.filter((r) => r.n === n && r.what.startsWith(prefix)).map((r) => r.seconds));
  const rp = best('rampart');
  console.log(
    `  ${n} hosts: rampart best ${rp.toFixed(2)} s; ansible setup / rampart ${(best('ansible') / rp).toFixed(2)}x; rampart / bare payload ${(rp / best('bare')).toFixed(2)}x; rampart / ssh true ${(rp / best('ssh true')).toFixed(2)}x; rampart peak ${Math.max(...all.filter((r) => r.n === n && r.what.startsWith('rampart')).map((r) => r.peakMiB)).toFixed(0)} MiB`,
  );
  void get;
}
if (SIM > 0) await benchSim(SIM);
