import { posix } from 'node:path';
import type { Source } from '../../facts/evidence.js';
import type { DockerMount, DockerSetting, DockerSettings } from '../../facts/docker.js';
import type { SMap, SNode } from './compose-file.js';

export interface ServiceBuild {
  context: string;
  dockerfile: string;
  /** Build args for ARG substitution in the Dockerfile (used, never stored). */
  args: Record<string, string>;
  target: string | null;
  at: Source;
}

export type ServiceResult =
  { ok: true; settings: DockerSettings; build: ServiceBuild | null } | { ok: false; reason: string; source: Source };

class TypeErr extends Error {
  constructor(
    readonly reason: string,
    readonly source: Source,
  ) {
    super(reason);
  }
}

/** Capability names as Docker accepts them: case-insensitive, with or without CAP_. */
export function normalizeCap(c: string): string {
  const u = c.trim().toUpperCase();
  return u.startsWith('CAP_') ? u.slice(4) : u;
}

/**
 * The settings the checks judge, from a merged compose service. Types are validated as compose does
 * (docker-compose 1.29 rejects `cap_drop: ALL`); boolean strings ("yes", "true", …) become booleans as both compose implementations do.
 */
export function extractService(name: string, svc: SMap, key: Source, projectDir: string): ServiceResult {
  const unset = (what: string): Source => ({ ...key, note: `${what} not set in service "${name}"` });
  const node = (k: string): SNode | null => svc.entries.get(k)?.node ?? null;
  const where = (k: string): Source => svc.entries.get(k)?.node.at ?? key;
  const str = (k: string, allowNumber = false): DockerSetting<string | null> | null => {
    const n = node(k);
    if (!n || (n.kind === 'scalar' && n.value === null)) return null;
    if (n.kind === 'scalar' && (typeof n.value === 'string' || (allowNumber && typeof n.value === 'number')))
      return { value: String(n.value), source: n.at };
    throw new TypeErr(`services.${name}.${k} contains an invalid type, it should be a string`, where(k));
  };
  const bool = (k: string): DockerSetting<boolean> => {
    const n = node(k);
    if (!n || (n.kind === 'scalar' && n.value === null)) return { value: false, source: unset(k) };
    if (n.kind === 'scalar' && typeof n.value === 'boolean') return { value: n.value, source: n.at };
    // Both docker-compose 1.29 and compose-go (toBoolean) read y/yes/true/on and n/no/false/off strings.
    if (n.kind === 'scalar' && typeof n.value === 'string' && /^(y|yes|true|on|n|no|false|off)$/i.test(n.value))
      return { value: /^(y|yes|true|on)$/i.test(n.value), source: n.at };
    throw new TypeErr(`services.${name}.${k} contains an invalid type, it should be a boolean`, where(k));
  };
  const list = (k: string, map: (s: string) => string = (s) => s): DockerSetting<string[]> => {
    const n = node(k);
    if (!n || (n.kind === 'scalar' && n.value === null)) return { value: [], source: unset(k) };
    if (n.kind !== 'seq') throw new TypeErr(`services.${name}.${k} contains an invalid type, it should be an array`, where(k));
    const out: string[] = [];
    for (const i of n.items) {
      if (i.kind !== 'scalar' || i.value === null || typeof i.value === 'boolean')
        throw new TypeErr(`services.${name}.${k} contains an invalid type, it should be an array of strings`, i.at);
      out.push(map(String(i.value)));
    }
    return { value: out, source: svc.entries.get(k)?.key ?? key };
  };

  try {
    const image = str('image');
    const user = str('user', true);
    const mounts: DockerMount[] = [];
    const vols = node('volumes');
    if (vols && !(vols.kind === 'scalar' && vols.value === null)) {
      if (vols.kind !== 'seq')
        throw new TypeErr(`services.${name}.volumes contains an invalid type, it should be an array`, where('volumes'));
      for (const v of vols.items) mounts.push(volumeMount(name, v, projectDir));
    }
    const tmpfs = node('tmpfs');
    if (tmpfs) {
      const items = tmpfs.kind === 'seq' ? tmpfs.items : [tmpfs];
      for (const t of items)
        if (t.kind === 'scalar' && t.value !== null)
          mounts.push({ type: 'tmpfs', source: null, target: String(t.value).split(':')[0] ?? '', readOnly: false, at: t.at });
    }
    const settings: DockerSettings = {
      image: image ?? { value: null, source: unset('image') },
      user: user ?? { value: null, source: unset('user') },
      userFrom: user ? 'compose' : 'unknown',
      readOnly: bool('read_only'),
      privileged: bool('privileged'),
      capAdd: list('cap_add', normalizeCap),
      capDrop: list('cap_drop', normalizeCap),
      securityOpt: list('security_opt'),
      networkMode: str('network_mode') ?? { value: null, source: unset('network_mode') },
      pidMode: str('pid') ?? { value: null, source: unset('pid') },
      ipcMode: str('ipc') ?? { value: null, source: unset('ipc') },
      mounts,
      baseImages: [],
    };
    return { ok: true, settings, build: buildOf(name, node('build'), svc.entries.get('build')?.key ?? key, projectDir) };
  } catch (e) {
    if (e instanceof TypeErr) return { ok: false, reason: e.reason, source: e.source };
    throw e;
  }
}

function bindSource(src: string, projectDir: string): string {
  if (src.startsWith('/')) return posix.normalize(src);
  if (src.startsWith('~')) return src;
  return posix.normalize(posix.join(projectDir, src));
}

function volumeMount(service: string, v: SNode, projectDir: string): DockerMount {
  if (v.kind === 'scalar' && typeof v.value === 'string') {
    const parts = v.value.split(':');
    if (parts.length === 1) return { type: 'volume', source: null, target: parts[0] ?? '', readOnly: false, at: v.at };
    const [src = '', target = '', mode = ''] = parts;
    const bind = /^(\/|\.|~)/.test(src);
    return {
      type: bind ? 'bind' : 'volume',
      source: bind ? bindSource(src, projectDir) : src,
      target,
      readOnly: mode.split(',').includes('ro'),
      at: v.at,
    };
  }
  if (v.kind === 'map') {
    const f = (k: string) => {
      const n = v.entries.get(k)?.node;
      return n?.kind === 'scalar' && n.value !== null ? n.value : null;
    };
    const type = String(f('type') ?? 'volume');
    const src = f('source');
    const t: DockerMount['type'] = type === 'bind' || type === 'volume' || type === 'tmpfs' || type === 'npipe' ? type : 'other';
    return {
      type: t,
      source: src === null ? null : t === 'bind' ? bindSource(String(src), projectDir) : String(src),
      target: String(f('target') ?? ''),
      readOnly: f('read_only') === true || f('read_only') === 'true',
      at: v.at,
    };
  }
  throw new TypeErr(`services.${service}.volumes contains an invalid entry`, v.at);
}

function buildOf(service: string, n: SNode | null, at: Source, projectDir: string): ServiceBuild | null {
  if (!n || (n.kind === 'scalar' && n.value === null)) return null;
  if (n.kind !== 'map') throw new TypeErr(`services.${service}.build contains an invalid type, it should be a string or a mapping`, at);
  const f = (k: string): string | null => {
    const x = n.entries.get(k)?.node;
    return x?.kind === 'scalar' && x.value !== null ? String(x.value) : null;
  };
  const context = bindSource(f('context') ?? '.', projectDir);
  const df = f('dockerfile') ?? 'Dockerfile';
  const args: Record<string, string> = {};
  const a = n.entries.get('args')?.node;
  if (a?.kind === 'map')
    for (const [k, e] of a.entries) if (e.node.kind === 'scalar' && e.node.value !== null) args[k] = String(e.node.value);
  if (a?.kind === 'seq')
    for (const i of a.items) {
      if (i.kind !== 'scalar' || i.value === null) continue;
      const s = String(i.value);
      const eq = s.indexOf('=');
      if (eq > 0) args[s.slice(0, eq)] = s.slice(eq + 1);
    }
  return { context, dockerfile: df.startsWith('/') ? df : posix.join(context, df), args, target: f('target'), at };
}
