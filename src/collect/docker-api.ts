// A minimal Docker Engine API client (GET only) over the daemon's unix socket on the target (a stream
// from Target.connect), with a hard deadline: a socket that accepts but never answers gives
// `timeout`, never a hang.
import { request } from 'node:http';
import { targetConnection } from '../target/streams.js';
import type { Target } from '../target/types.js';

export type ApiResult =
  | { ok: true; status: number; body: unknown }
  | { ok: false; reason: 'missing' | 'refused' | 'denied' | 'timeout' | 'http' | 'error'; message: string };

const MAX_BODY = 32 * 1024 * 1024;

/** unix:///path → /path; other schemes (tcp://, ssh://, npipe://) are not supported. */
export function socketPathOf(dockerHost: string): { ok: true; path: string } | { ok: false; message: string } {
  const m = /^unix:\/\/(\/.*)$/.exec(dockerHost);
  if (m?.[1]) return { ok: true, path: m[1] };
  return { ok: false, message: `docker_host "${dockerHost}" is not a unix:// socket (only unix:///path is supported)` };
}

export function dockerGet(t: Target, socketPath: string, path: string, timeoutMs: number): Promise<ApiResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: ApiResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = request(
      {
        path,
        method: 'GET',
        headers: { Host: 'docker', Accept: 'application/json' },
        // The callback form: the stream comes from the target, asynchronously.
        createConnection: targetConnection(t, { unix: socketPath }, timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) {
            req.destroy();
            done({ ok: false, reason: 'error', message: `GET ${path}: response larger than ${MAX_BODY} bytes` });
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let body: unknown = text;
          try {
            body = text === '' ? null : JSON.parse(text);
          } catch {
            // Not JSON (/_ping answers "OK"): the text is the body; callers check the shape they expect.
            body = text;
          }
          if (status < 200 || status >= 300) {
            const msg = body && typeof body === 'object' && 'message' in body ? String(body.message) : `HTTP ${status}`;
            done({ ok: false, reason: 'http', message: `GET ${path}: ${msg}` });
            return;
          }
          done({ ok: true, status, body });
        });
        res.on('error', (e) => done({ ok: false, reason: 'error', message: `GET ${path}: ${e.message}` }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      done({ ok: false, reason: 'timeout', message: `GET ${path}: no answer from ${socketPath} within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => {
      const reason = e.code === 'ENOENT' ? 'missing' : e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'EACCES' ? 'denied' : 'error';
      done({ ok: false, reason, message: `GET ${path}: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ') });
    });
    req.end();
  });
}
