import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { FsTarget } from '../../src/target/fs-target.js';
import { bridgeTo, TargetSocket } from '../../src/target/streams.js';
import { makeTree } from '../helpers.js';

/** An echo server that greets first. */
function echo(): Server {
  return createServer((s) => {
    s.write('hello\n');
    s.pipe(s);
  });
}

async function listen(server: Server, where: string | number): Promise<number | string> {
  await new Promise<void>((r) => (typeof where === 'string' ? server.listen(where, r) : server.listen(where, '127.0.0.1', r)));
  const a = server.address();
  return typeof a === 'object' && a ? a.port : where;
}

function roundTrip(s: Duplex, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    s.on('data', (d: Buffer) => {
      got += d.toString();
      if (got.includes(text)) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('error', reject);
    s.write(text);
  });
}

const live = new FsTarget({ name: 'local' });

test('connect: TCP on loopback (random port) and a unix socket give a working duplex stream', async (t) => {
  const tcp = echo();
  const port = (await listen(tcp, 0)) as number;
  const dir = mkdtempSync(join(tmpdir(), 'rampart-sock-'));
  const unix = echo();
  await listen(unix, join(dir, 's'));
  t.after(() => {
    tcp.close();
    unix.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const a = await live.connect({ host: '127.0.0.1', port });
  assert.ok(a.ok);
  assert.equal(await roundTrip(a.stream, 'ping'), 'hello\nping');
  const b = await live.connect({ unix: join(dir, 's') });
  assert.ok(b.ok);
  assert.equal(await roundTrip(b.stream, 'pong'), 'hello\npong');
});

test('connect: refused, missing and offline are results with a reason, not exceptions', async (t) => {
  const s = echo();
  const port = (await listen(s, 0)) as number;
  await new Promise<void>((r) => s.close(() => r()));
  const refused = await live.connect({ host: '127.0.0.1', port });
  assert.equal(!refused.ok && refused.reason, 'refused');
  assert.equal(!refused.ok && refused.code, 'ECONNREFUSED');
  const missing = await live.connect({ unix: '/nonexistent/rampart.sock' });
  assert.equal(!missing.ok && missing.reason, 'missing');
  const offline = await new FsTarget({ root: makeTree({ a: 'x' }, t), name: 'img' }).connect({ host: '127.0.0.1', port: 22 });
  assert.equal(!offline.ok && offline.reason, 'offline');
  assert.match(!offline.ok ? offline.message : '', /offline root: no live connection/);
});

test('TargetSocket (pg stream option) connects on connect(port, host) and on connect(socket path); a failure is the system error', async (t) => {
  const s = echo();
  const port = (await listen(s, 0)) as number;
  t.after(() => s.close());
  const sock = new TargetSocket(live, 2000);
  sock.write('early '); // written before the connection is up: queued
  const connected = new Promise<void>((r) => sock.once('connect', () => r()));
  sock.connect(port, '127.0.0.1');
  await connected;
  assert.equal(await roundTrip(sock, 'x'), 'hello\nearly x');
  const bad = new TargetSocket(live, 2000);
  const err = await new Promise<NodeJS.ErrnoException>((r) => bad.once('error', r).connect('/nonexistent/.s.PGSQL.5432'));
  assert.equal(err.code, 'ENOENT');
});

test('bridgeTo: a local unix socket that carries one connection to the target stream; a refused endpoint fails before', async (t) => {
  const s = echo();
  const port = (await listen(s, 0)) as number;
  t.after(() => s.close());
  const b = await bridgeTo(live, { host: '127.0.0.1', port }, 2000);
  assert.ok(b.ok);
  const c = await live.connect({ unix: b.path });
  assert.ok(c.ok);
  assert.equal(await roundTrip(c.stream, 'via bridge'), 'hello\nvia bridge');
  b.close();
  await new Promise<void>((r) => s.close(() => r()));
  const refused = await bridgeTo(live, { host: '127.0.0.1', port }, 2000);
  assert.equal(!refused.ok && refused.reason, 'refused');
});
