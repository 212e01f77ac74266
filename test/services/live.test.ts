// Real processes: a redis-server and a python3 -m http.server on random loopback ports, as root and
// as nobody (runuser); the collector must find them with their pid, user and listening socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { collectServices, parseProcNetTcp } from '../../src/collect/services.js';
import type { ServiceFacts } from '../../src/facts/services.js';
import check from '../../src/checks/svc/expected-running.js';
import { ctx, isRoot, requireCommands, realClockEnv } from '../helpers.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

async function start(t: { after: (fn: () => void) => void }, argv: string[], port: number): Promise<ChildProcess> {
  // its own process group, killed whole: runuser forks, so killing runuser alone would leave the server
  const p = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore', cwd: '/tmp', detached: true, env: realClockEnv() });
  t.after(() => {
    try {
      process.kill(-p.pid!, 'SIGKILL');
    } catch {
      p.kill('SIGKILL');
    }
  });
  for (let i = 0; i < 100; i++) {
    const table = await new FsTarget({ name: 'x' }).readText('/proc/net/tcp');
    if (table.ok && [...parseProcNetTcp(table.text, 'tcp').values()].some((s) => s.port === port)) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${argv.join(' ')} did not listen on ${port}`);
}

async function collect(services: string[]): Promise<ServiceFacts> {
  const f = await collectServices({
    target: new FsTarget({ name: 'live' }),
    config: { ...DEFAULT_CONFIG, services },
    commandTimeoutMs: 10_000,
  });
  assert.equal(f.state, 'collected', f.state === 'collected' ? '' : f.reason);
  return (f as { value: ServiceFacts }).value;
}

test('live: redis-server as root and python3 -m http.server as nobody, with pids, users and sockets', async (t) => {
  if (!requireCommands(t, 'redis-server', 'runuser', '/usr/bin/python3')) return;
  if (!isRoot()) return t.skip('needs root for runuser');
  const [rp, hp] = [await freePort(), await freePort()];
  const redis = await start(
    t,
    ['redis-server', '--port', String(rp), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', '/tmp'],
    rp,
  );
  const http = await start(
    t,
    ['runuser', '-u', 'nobody', '--', '/usr/bin/python3', '-m', 'http.server', '--bind', '127.0.0.1', String(hp)],
    hp,
  );
  const facts = await collect(['redis-server', 'http.server', 'no-such-service-xyz']);
  const r = facts.services.find((s) => s.name === 'redis-server')!.processes.find((p) => p.pid === redis.pid);
  assert.ok(r, 'the redis-server we started');
  assert.equal(r.user, 'root');
  assert.deepEqual(r.listening, [{ proto: 'tcp', address: '127.0.0.1', port: rp }]);
  const h = facts.services.find((s) => s.name === 'http.server')!.processes.find((p) => p.listening.some((s) => s.port === hp));
  assert.ok(h, 'the http.server we started');
  assert.equal(h.user, 'nobody');
  assert.equal(h.matchedBy, 'python-module');
  assert.notEqual(h.pid, http.pid, 'runuser forks: the python child is matched, not runuser');
  const v = check.evaluate({ services: facts }, ctx());
  assert.equal(v.status, 'fail');
  assert.match(v.summary, /not running: no-such-service-xyz; running as root: redis-server/);
  assert.ok(v.findings.some((f) => f.message.includes(`pid ${redis.pid} user root (root, not needed), listening 127.0.0.1:${rp}/tcp`)));
  assert.ok(v.findings.some((f) => f.message.includes(`user nobody, listening 127.0.0.1:${hp}/tcp`)));
  const only = await collect(['http.server']);
  assert.equal(check.evaluate({ services: only }, ctx()).status, 'pass');
});

test('offline root: services are a failed fact (needs a live host)', async () => {
  const f = await collectServices({ target: new FsTarget({ root: '/tmp', name: 'x' }), config: DEFAULT_CONFIG, commandTimeoutMs: 1000 });
  assert.equal(f.state, 'failed');
  assert.match(f.state === 'failed' ? f.reason : '', /needs a live host/);
});

test('parseProcNetTcp decodes IPv4, IPv6 and v4-mapped LISTEN entries, skips others', () => {
  const v4 =
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:18EB 00000000:0000 0A 00000000:00000000 00:00000000 00000000   106        0 1234 1\n   1: 0100007F:18EB 0100007F:9C40 01 00000000:00000000 00:00000000 00000000   106        0 999 1\n';
  const v6 =
    'header\n   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 0 0 0 0 0 5678 1\n   1: 0000000000000000FFFF00000100007F:0050 00000000000000000000000000000000:0000 0A 0 0 0 0 0 91 1\n   2: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 0 0 0 0 0 92 1\n';
  assert.deepEqual([...parseProcNetTcp(v4, 'tcp')], [[1234, { proto: 'tcp', address: '127.0.0.1', port: 6379 }]]);
  assert.deepEqual(
    [...parseProcNetTcp(v6, 'tcp6').values()].map((s) => `${s.address}:${s.port}`),
    ['::1:8080', '::ffff:127.0.0.1:80', ':::22'],
  );
});
