// Issue "Service hardening audits", performance: the whole audit with PostgreSQL, Redis and dockerd
// running must stay within 1.5x of the foundation audit's time (the same audit with none running).
//
//   npm run build && node bench/services.mjs        (as root; BENCH_RUNS=N, default 5)
//
// Starts, on this machine and on loopback only: Debian's PostgreSQL cluster 15/main (pg_ctlcluster),
// a redis-server with /etc/redis/redis.conf (127.0.0.1:6379), and a dockerd with a scratch data root on
// the default socket with one container; measures `rampart audit` with and without them running;
// stops all three again. Prints one `services: {json}` line.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { median, runOnce } from './measure.mjs';

const REPO = join(import.meta.dirname, '..');
const RAMPART = join(REPO, 'bin', 'rampart.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const scratch = mkdtempSync(join(tmpdir(), 'rampart-bench-svc-'));
const env = { ...process.env, NO_COLOR: '1', RAMPART_STATE_DIR: join(scratch, 'state') };
const argv = [process.execPath, RAMPART, 'audit', '--profile', 'guide', '--format', 'json'];

async function series(label) {
  await runOnce(argv, { cwd: REPO, env }); // warm-up
  const walls = [];
  const rss = [];
  let statuses = null;
  for (let i = 0; i < RUNS; i++) {
    const r = await runOnce(argv, { cwd: REPO, env });
    if (r.code !== 0 && r.code !== 1) throw new Error(`${label}: rampart exited ${r.code}: ${r.stderr.slice(0, 400)}`);
    walls.push(r.wallS);
    rss.push(r.rssKb / 1024);
    const rep = JSON.parse(r.stdout);
    statuses = Object.fromEntries(rep.results.filter((x) => /^(docker|pg|redis)\./.test(x.id)).map((x) => [x.id, x.status]));
  }
  return {
    label,
    medianS: median(walls),
    minS: Math.min(...walls),
    maxS: Math.max(...walls),
    peakRssMb: Math.max(...rss),
    serviceStatuses: statuses,
  };
}

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

async function waitFor(fn, what, ms = 30_000) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (fn()) return;
    await sleep(200);
  }
  throw new Error(`${what} did not come up`);
}

const started = { pg: false, redis: null, dockerd: null };
try {
  const without = await series('no services running');

  sh('pg_ctlcluster', ['15', 'main', 'start']);
  started.pg = true;
  started.redis = spawn('runuser', ['-u', 'redis', '--', 'redis-server', '/etc/redis/redis.conf', '--daemonize', 'no'], {
    stdio: 'ignore',
  });
  const dockerRoot = join(scratch, 'docker');
  started.dockerd = spawn(
    'dockerd',
    [
      '--data-root',
      join(dockerRoot, 'data'),
      '--exec-root',
      join(dockerRoot, 'exec'),
      '--pidfile',
      join(dockerRoot, 'pid'),
      '-H',
      'unix:///var/run/docker.sock',
      '--iptables=false',
      '--bridge=none',
    ],
    { stdio: 'ignore' },
  );
  await waitFor(() => spawnSync('redis-cli', ['-h', '127.0.0.1', 'ping'], { encoding: 'utf8' }).stdout.includes('PONG'), 'redis');
  await waitFor(
    () => spawnSync('/usr/bin/docker', ['-H', 'unix:///var/run/docker.sock', 'version'], { stdio: 'ignore' }).status === 0,
    'dockerd',
  );
  const rootfs = join(scratch, 'rootfs');
  sh('mkdir', ['-p', join(rootfs, 'bin')]);
  sh('cp', ['/bin/busybox', join(rootfs, 'bin', 'busybox')]);
  for (const a of ['sh', 'sleep']) sh('ln', ['-sf', 'busybox', join(rootfs, 'bin', a)]);
  const tar = join(scratch, 'rootfs.tar');
  sh('tar', ['-C', rootfs, '-cf', tar, '.']);
  sh('/usr/bin/docker', ['-H', 'unix:///var/run/docker.sock', 'import', tar, 'rampart-bench/busybox:1']);
  sh('/usr/bin/docker', [
    '-H',
    'unix:///var/run/docker.sock',
    'run',
    '-d',
    '--network',
    'none',
    '--name',
    'rampart-bench',
    'rampart-bench/busybox:1',
    'sleep',
    '600',
  ]);

  const withServices = await series('PostgreSQL, Redis and dockerd running');
  const ratio = withServices.medianS / without.medianS;
  const result = { runs: RUNS, without, withServices, ratio: Math.round(ratio * 100) / 100, target: '<= 1.5', met: ratio <= 1.5 };
  writeFileSync(join(tmpdir(), 'rampart-bench-services.json'), JSON.stringify(result, null, 2));
  console.log(`services: ${JSON.stringify(result)}`);
} finally {
  if (started.dockerd) {
    spawnSync('/usr/bin/docker', ['-H', 'unix:///var/run/docker.sock', 'rm', '-f', 'rampart-bench'], { stdio: 'ignore' });
    started.dockerd.kill('SIGTERM');
    await sleep(3000);
    spawnSync('sh', ['-c', `grep ' ${scratch}' /proc/mounts | cut -d' ' -f2 | sort -r | xargs -r umount -l`], { stdio: 'ignore' });
  }
  if (started.redis) started.redis.kill('SIGTERM');
  if (started.pg) spawnSync('pg_ctlcluster', ['15', 'main', 'stop', '-m', 'fast'], { stdio: 'ignore' });
  await sleep(500);
  if (existsSync(scratch)) rmSync(scratch, { recursive: true, force: true });
}
