// Merging compose files and `extends`, per the Compose Specification (compose-spec merge.md,
// 05-services.md#extends): mappings merge key by key; sequences append; command, entrypoint and
// healthcheck.test are replaced; ports, volumes, secrets and configs are unique resources (merged by
// their key); environment/labels in list form are mappings; !reset removes, !override replaces.
import { posix } from 'node:path';
import type { SMap, SNode, SScalar } from './compose-file.js';

const REPLACED = new Set(['command', 'entrypoint']);
const BY_TARGET = new Set(['volumes', 'secrets', 'configs']);
const LIST_AS_MAP = new Set(['environment', 'labels', 'sysctls', 'extra_hosts', 'annotations']);

const scalar = (at: SScalar['at'], value: SScalar['value']): SScalar => ({ kind: 'scalar', at, tag: null, value, interpolated: false });

/** build: "dir" → { context: dir }; extends: "svc" → { service: svc }; KEY=VAL lists → mappings. */
export function normalizeService(svc: SMap): SMap {
  const entries = new Map(svc.entries);
  for (const [k, e] of svc.entries) {
    const n = e.node;
    if ((k === 'build' || k === 'extends') && n.kind === 'scalar') {
      const field = k === 'build' ? 'context' : 'service';
      entries.set(k, { key: e.key, node: { kind: 'map', at: n.at, tag: n.tag, entries: new Map([[field, { key: n.at, node: n }]]) } });
    } else if (LIST_AS_MAP.has(k) && n.kind === 'seq') {
      const m = new Map<string, { key: SScalar['at']; node: SNode }>();
      for (const item of n.items) {
        if (item.kind !== 'scalar' || item.value === null) continue;
        const text = String(item.value);
        const sep = k === 'extra_hosts' ? text.search(/[:=]/) : text.indexOf('=');
        m.set(sep < 0 ? text : text.slice(0, sep), { key: item.at, node: scalar(item.at, sep < 0 ? null : text.slice(sep + 1)) });
      }
      entries.set(k, { key: e.key, node: { kind: 'map', at: n.at, tag: n.tag, entries: m } });
    }
  }
  return { ...svc, entries };
}

/** The short or long volume/secret/config syntax's container path. */
export function mountTarget(n: SNode): string {
  if (n.kind === 'map') {
    const t = n.entries.get('target')?.node;
    if (t?.kind === 'scalar' && t.value !== null) return String(t.value);
    const s = n.entries.get('source')?.node;
    return s?.kind === 'scalar' ? `/run/secrets/${String(s.value)}` : '';
  }
  if (n.kind !== 'scalar' || n.value === null) return '';
  const parts = String(n.value).split(':');
  if (parts.length === 1) return parts[0] ?? '';
  return parts[1] ?? '';
}

/** The unique key of a port: {ip, target, published, protocol}. */
export function portKey(n: SNode): string {
  if (n.kind === 'map') {
    const f = (k: string) => {
      const v = n.entries.get(k)?.node;
      return v?.kind === 'scalar' && v.value !== null ? String(v.value) : '';
    };
    return `${f('host_ip')}|${f('target')}|${f('published')}|${f('protocol') || 'tcp'}`;
  }
  if (n.kind !== 'scalar') return '';
  const text = String(n.value);
  const [spec, proto = 'tcp'] = text.split('/');
  const parts = (spec ?? '').split(':');
  const target = parts.pop() ?? '';
  const published = parts.pop() ?? '';
  const ip = parts.join(':');
  return `${ip}|${target}|${published}|${proto}`;
}

function sameScalar(a: SNode, b: SNode): boolean {
  return a.kind === 'scalar' && b.kind === 'scalar' && a.value === b.value;
}

function mergeSeq(base: SNode[], over: SNode[], attr: string): SNode[] {
  const keyOf = attr === 'ports' ? portKey : BY_TARGET.has(attr) ? mountTarget : null;
  if (keyOf) {
    const out = [...base];
    for (const o of over) {
      const k = keyOf(o);
      const i = out.findIndex((b) => keyOf(b) === k);
      if (i >= 0) out[i] = o;
      else out.push(o);
    }
    return out;
  }
  const out = [...base];
  for (const o of over) if (!out.some((b) => sameScalar(b, o))) out.push(o);
  return out;
}

/**
 * Merges `over` onto `base`. `path` is the attribute path below a service (e.g. ['healthcheck']),
 * which decides the sequence rules. Returns null when !reset removes the value.
 */
export function mergeNode(base: SNode | null, over: SNode, path: readonly string[]): SNode | null {
  if (over.tag === '!reset') return null;
  if (over.tag === '!override' || base === null) return over;
  const attr = path[path.length - 1] ?? '';
  if (base.kind === 'map' && over.kind === 'map') {
    const entries = new Map(base.entries);
    for (const [k, e] of over.entries) {
      const m = mergeNode(base.entries.get(k)?.node ?? null, e.node, [...path, k]);
      if (m === null) entries.delete(k);
      else entries.set(k, { key: e.key, node: m });
    }
    return { ...base, entries };
  }
  if (base.kind === 'seq' && over.kind === 'seq') {
    if ((path.length === 1 && REPLACED.has(attr)) || (path.length === 2 && path[0] === 'healthcheck' && attr === 'test')) return over;
    return { ...base, items: mergeSeq(base.items, over.items, path.length === 1 ? attr : '') };
  }
  return over;
}

/** Merges two service definitions (both normalized). The service keeps the first definition's key. */
export function mergeService(base: SMap, over: SMap): SMap {
  const m = mergeNode(base, over, []);
  return m && m.kind === 'map' ? m : over;
}

/** Relative paths of a service defined in another file (extends.file) resolve against that file's directory. */
export function rebaseService(svc: SMap, fromDir: string): SMap {
  const entries = new Map(svc.entries);
  const abs = (n: SNode): SNode =>
    n.kind === 'scalar' && typeof n.value === 'string' && /^\.\.?(\/|$)/.test(n.value)
      ? { ...n, value: posix.normalize(posix.join(fromDir, n.value)) }
      : n;
  const build = svc.entries.get('build');
  if (build?.node.kind === 'map') {
    const ctx = build.node.entries.get('context');
    if (ctx)
      entries.set('build', {
        key: build.key,
        node: { ...build.node, entries: new Map([...build.node.entries, ['context', { key: ctx.key, node: abs(ctx.node) }]]) },
      });
  }
  const vols = svc.entries.get('volumes');
  if (vols?.node.kind === 'seq') {
    const items = vols.node.items.map((v) => {
      if (v.kind === 'scalar' && typeof v.value === 'string') {
        const i = v.value.indexOf(':');
        if (i > 0 && /^\.\.?\//.test(v.value))
          return { ...v, value: posix.normalize(posix.join(fromDir, v.value.slice(0, i))) + v.value.slice(i) };
        return v;
      }
      if (v.kind === 'map') {
        const s = v.entries.get('source');
        return s ? { ...v, entries: new Map([...v.entries, ['source', { key: s.key, node: abs(s.node) }]]) } : v;
      }
      return v;
    });
    entries.set('volumes', { key: vols.key, node: { ...vols.node, items } });
  }
  return { ...svc, entries };
}
