// Client libraries that want a socket get the target's stream (Target.connect) instead of
// connecting from this machine themselves.
import { mkdtempSync, rmSync } from 'node:fs';
import type { RequestOptions } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex } from 'node:stream';
import type { ConnectResult, Endpoint, Target } from './types.js';

/** The Error a failed connect gives a client library: the system's message and errno code. */
export function connectError(r: { message: string; code: string | null }): Error {
  return Object.assign(new Error(r.message), r.code ? { code: r.code } : {});
}

/** http.request's createConnection (its callback form): the request runs over a stream to `endpoint` on the target. */
export function targetConnection(t: Target, endpoint: Endpoint, timeoutMs: number): RequestOptions['createConnection'] {
  const create = (_opts: unknown, oncreate: (err: Error | null, socket: Socket | null) => void): undefined => {
    t.connect(endpoint, { timeoutMs }).then(
      (c) => (c.ok ? oncreate(null, c.stream as Socket) : oncreate(connectError(c), null)),
      (e: unknown) => oncreate(e instanceof Error ? e : new Error(String(e)), null),
    );
    return undefined;
  };
  return create as unknown as RequestOptions['createConnection'];
}

/**
 * A socket-like Duplex for clients that call `connect(port, host)` / `connect(path)` on a stream
 * they were given (pg's `stream` option): the connection is the target's, made when the client
 * asks; 'connect' is emitted once it is up, a failure is the system's error.
 */
export class TargetSocket extends Duplex {
  private inner: Duplex | null = null;
  private queued: { chunk: Buffer; cb: (e?: Error | null) => void }[] = [];

  constructor(
    private readonly target: Target,
    private readonly timeoutMs: number,
  ) {
    super();
  }

  connect(portOrPath: number | string, host?: string): this {
    const endpoint: Endpoint =
      typeof portOrPath === 'string' && portOrPath.startsWith('/')
        ? { unix: portOrPath }
        : { host: host ?? 'localhost', port: Number(portOrPath) };
    this.target.connect(endpoint, { timeoutMs: this.timeoutMs }).then(
      (c) => {
        if (this.destroyed) {
          if (c.ok) c.stream.destroy();
          return;
        }
        if (!c.ok) {
          this.destroy(connectError(c));
          return;
        }
        const s = c.stream;
        this.inner = s;
        s.on('data', (d: Buffer) => {
          if (!this.push(d)) s.pause();
        });
        s.on('end', () => this.push(null));
        s.on('error', (e) => this.destroy(e));
        s.on('close', () => this.destroy());
        for (const q of this.queued.splice(0)) s.write(q.chunk, q.cb);
        this.emit('connect');
      },
      (e: unknown) => this.destroy(e instanceof Error ? e : new Error(String(e))),
    );
    return this;
  }

  override _read(): void {
    this.inner?.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    if (this.inner) this.inner.write(chunk, cb);
    else this.queued.push({ chunk, cb });
  }

  override _final(cb: (e?: Error | null) => void): void {
    if (this.inner) this.inner.end(cb);
    else cb();
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.inner?.destroy();
    cb(err);
  }

  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

/**
 * For a client library that can only dial a socket itself (node-redis: net/tls.createConnection
 * with its own options): the target's stream, already connected, behind a unix socket of this
 * machine in a private directory that takes exactly one connection. The connect result is the
 * target's, so a refused or missing endpoint fails here with the system's error, as a direct
 * dial would.
 */
export async function bridgeTo(
  t: Target,
  endpoint: Endpoint,
  timeoutMs: number,
): Promise<{ ok: true; path: string; close(): void } | (ConnectResult & { ok: false })> {
  const c = await t.connect(endpoint, { timeoutMs });
  if (!c.ok) return c;
  const upstream = c.stream;
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bridge-'));
  const path = join(dir, 's');
  let accepted = false;
  const server = createServer({ allowHalfOpen: true }, (sock) => {
    if (accepted) {
      sock.destroy();
      return;
    }
    accepted = true;
    server.close();
    sock.on('error', () => upstream.destroy());
    upstream.on('error', () => sock.destroy());
    sock.pipe(upstream);
    upstream.pipe(sock);
    sock.on('close', close);
    upstream.on('close', () => sock.destroy());
  });
  const close = () => {
    server.close();
    upstream.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  return new Promise((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      close();
      resolve({ ok: false, reason: 'error', message: `local bridge: ${e.message}`, code: e.code ?? null });
    });
    server.listen(path, () => resolve({ ok: true, path, close }));
  });
}
