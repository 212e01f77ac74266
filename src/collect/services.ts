import { posix } from 'node:path';
import { collected, failed } from '../facts/fact.js';
import type { ServiceFacts, ServiceProcess, ServiceSocket } from '../facts/services.js';
import type { Target } from '../target/types.js';
import { hostOf, type ProcessInfo } from './host/index.js';
import { textRecords } from './host/accounts.js';
import { defineCollector, type CollectContext } from './types.js';
import { redactSecrets } from '../util/redact.js';

export const OFFLINE_REASON = 'needs a live host: running services cannot be seen on an offline root';
const MAX_FDS = 4096;

/** /proc/net/tcp{,6}: LISTEN (st 0A) sockets by inode. Addresses are hex in host byte order per 32-bit word. */
export function parseProcNetTcp(text: string, proto: 'tcp' | 'tcp6'): Map<number, ServiceSocket> {
  const out = new Map<number, ServiceSocket>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const local = f[1];
    const inode = Number(f[9]);
    if (!local || f[3] !== '0A' || !Number.isInteger(inode) || inode === 0) continue;
    const [hex, portHex] = local.split(':');
    if (!hex || !portHex) continue;
    out.set(inode, { proto, address: decodeAddress(hex), port: parseInt(portHex, 16) });
  }
  return out;
}

function decodeAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => (w.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)));
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  let best = [-1, 0];
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best[1]! && j - i >= 2) best = [i, j - i];
    i = j > i ? j : i + 1;
  }
  const [at, len] = best as [number, number];
  return at < 0 ? groups.join(':') : `${groups.slice(0, at).join(':')}::${groups.slice(at + len).join(':')}`;
}

const base = (s: string | undefined) => posix.basename(s ?? '');

/** How a process belongs to the configured service name, if it does. */
export function matchService(p: ProcessInfo, name: string): ServiceProcess['matchedBy'] | null {
  if (p.argv.length === 0) return null; // kernel threads, zombies
  if (p.comm === name || p.comm === name.slice(0, 15)) return 'comm';
  const a0 = base(p.argv[0]).split(/[: ]/)[0];
  if (a0 === name) return 'argv0';
  const py = /^python[\d.]*$/.test(base(p.argv[0]));
  const mi = p.argv.indexOf('-m');
  if (py && mi >= 0 && p.argv[mi + 1] === name) return 'python-module';
  if (py && base(p.argv[1]) === name) return 'argv0';
  if (
    name === 'uvicorn' &&
    (p.comm === 'gunicorn' || base(p.argv[0]) === 'gunicorn' || (py && p.argv.some((x) => base(x) === 'gunicorn'))) &&
    p.argv.some((x) => /uvicorn\.workers\.|^uvicorn_worker\./.test(x))
  )
    return 'gunicorn-uvicorn';
  return null;
}

async function socketsOf(
  t: Target,
  pid: number,
  table: Map<number, ServiceSocket>,
): Promise<{ sockets: ServiceSocket[]; error: string | null }> {
  const l = await t.list(`/proc/${pid}/fd`);
  if (!l.ok) return { sockets: [], error: l.message };
  const sockets: ServiceSocket[] = [];
  for (const e of l.entries.slice(0, MAX_FDS)) {
    const s = await t.stat(`/proc/${pid}/fd/${e.name}`);
    if (!s.ok || s.type !== 'socket') continue;
    const hit = table.get(s.ino);
    if (hit && !sockets.some((x) => x.proto === hit.proto && x.address === hit.address && x.port === hit.port)) sockets.push(hit);
  }
  return { sockets, error: l.entries.length > MAX_FDS ? `only the first ${MAX_FDS} of ${l.entries.length} descriptors examined` : null };
}

async function ppidOf(t: Target, pid: number): Promise<number | null> {
  const r = await t.readText(`/proc/${pid}/status`, { maxBytes: 64 * 1024 });
  const m = r.ok ? /^PPid:\s+(\d+)/m.exec(r.text) : null;
  return m ? Number(m[1]) : null;
}

export async function collectServices(ctx: CollectContext) {
  const t = ctx.target;
  if (!t.live) return failed<ServiceFacts>(OFFLINE_REASON);
  const procs = await hostOf(ctx).processes();
  if (!procs || procs.length === 0) return failed<ServiceFacts>('the process list (/proc) cannot be read');
  const table = new Map<number, ServiceSocket>();
  for (const proto of ['tcp', 'tcp6'] as const) {
    const r = await t.readText(`/proc/net/${proto}`, { maxBytes: 64 * 1024 * 1024 });
    if (r.ok) for (const [k, v] of parseProcNetTcp(r.text, proto)) table.set(k, v);
  }
  const users = new Map(textRecords((await hostOf(ctx).accounts()).passwd).map((e) => [e.uid, e.name]));
  const configured = ctx.config.services;
  const services: ServiceFacts['services'] = [];
  for (const name of configured) {
    const processes: ServiceProcess[] = [];
    for (const p of procs) {
      const matchedBy = matchService(p, name);
      if (!matchedBy) continue;
      const s = await socketsOf(t, p.pid, table);
      processes.push({
        pid: p.pid,
        ppid: await ppidOf(t, p.pid),
        uid: p.uid,
        user: p.uid === null ? null : (users.get(p.uid) ?? null),
        comm: p.comm,
        command: p.argv.join(' ').slice(0, 200),
        matchedBy,
        listening: s.sockets,
        socketsError: s.error,
        source: { path: `/proc/${p.pid}`, excerpt: redactSecrets(p.argv.join(' ')).slice(0, 200) },
      });
    }
    services.push({ name, source: { note: 'config.services' }, processes });
  }
  return collected<ServiceFacts>({
    services,
    source: { path: '/proc', note: 'process list, /proc/net/tcp{,6} and /proc/PID/fd socket inodes' },
  });
}

export const servicesCollector = defineCollector({
  key: 'services',
  gathers: {},
  collect: (ctx) => collectServices(ctx),
});
