import { posix } from 'node:path';
import type { Source } from '../../facts/evidence.js';
import { parseComposeFile, type SMap, type SNode } from './compose-file.js';
import { mergeService, normalizeService, rebaseService } from './compose-merge.js';

/** Reads a compose file; `realPath` is the file it really is when `path` goes through a symlink. */
export type ReadFn = (path: string) => Promise<{ ok: true; text: string; realPath?: string } | { ok: false; reason: string }>;

export interface ProjectService {
  name: string;
  /** The service key where the service is first defined. */
  key: Source;
  node: SMap;
}

export type ProjectError = { ok: false; kind: 'invalid' | 'unresolved' | 'unreadable'; reason: string; source: Source };
export type ProjectResult =
  | { ok: true; name: string; dir: string; services: ProjectService[]; unset: string[]; links: ComposeLink[] }
  | (ProjectError & { links?: ComposeLink[] });

/** A compose file read through a symlink: the path compose is given, and the file it really reads. */
export interface ComposeLink {
  path: string;
  target: string;
}

/** Compose's default project name: the directory's base name, lower case, [a-z0-9_-] only. */
export function defaultProjectName(dir: string): string {
  return posix
    .basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
}

const MAX_EXTENDS_DEPTH = 16;

/**
 * Loads a compose project: files in -f order merged per the spec, then `extends` resolved (same file
 * and other files, recursively, with cycle detection). `env` interpolates (the project's .env).
 *
 * A file read through a symlink keeps its path for everything compose resolves from it (the project
 * directory and name, .env, relative build contexts, binds and extends files: docker-compose 1.29
 * uses the directory of the path it is given, not of the link's target), while every file:line of the
 * result names the real file, where the lines are.
 */
export async function loadComposeProject(
  files: readonly string[],
  read: ReadFn,
  env: Readonly<Record<string, string>>,
): Promise<ProjectResult> {
  const real = new Map<string, string>();
  const tracking: ReadFn = async (path) => {
    const r = await read(path);
    if (r.ok && r.realPath !== undefined && r.realPath !== path) real.set(path, r.realPath);
    return r;
  };
  const r = await loadProject(files, tracking, env);
  if (real.size === 0) return r.ok ? { ...r, links: [] } : r;
  const links = [...real].map(([path, target]) => ({ path, target }));
  const fix = (s: Source) => {
    const to = s.path === undefined ? undefined : real.get(s.path);
    if (to !== undefined) s.path = to;
  };
  if (!r.ok) {
    fix(r.source);
    return { ...r, links };
  }
  const seen = new Set<SNode>();
  const walk = (n: SNode) => {
    if (seen.has(n)) return;
    seen.add(n);
    fix(n.at);
    if (n.kind === 'map')
      for (const e of n.entries.values()) {
        fix(e.key);
        walk(e.node);
      }
    else if (n.kind === 'seq') for (const i of n.items) walk(i);
  };
  for (const s of r.services) {
    fix(s.key);
    walk(s.node);
  }
  return { ...r, links };
}

async function loadProject(files: readonly string[], read: ReadFn, env: Readonly<Record<string, string>>): Promise<ProjectResult> {
  const first = files[0];
  if (first === undefined) return { ok: false, kind: 'invalid', reason: 'no compose file', source: { note: 'no files' } };
  const dir = posix.dirname(first);
  const unset = new Set<string>();
  const cache = new Map<string, Promise<{ ok: true; root: SMap } | ProjectError>>();

  const load = (path: string): Promise<{ ok: true; root: SMap } | ProjectError> => {
    let p = cache.get(path);
    if (!p) {
      p = read(path).then((r) => {
        if (!r.ok) return { ok: false as const, kind: 'unreadable' as const, reason: `${path}: ${r.reason}`, source: { path } };
        const f = parseComposeFile(r.text, path, env);
        if (!f.ok) return { ok: false as const, kind: f.kind, reason: f.reason, source: f.source };
        for (const u of f.unset) unset.add(u);
        return { ok: true as const, root: f.root };
      });
      cache.set(path, p);
    }
    return p;
  };

  const servicesOf = (root: SMap): Map<string, { key: Source; node: SMap }> | ProjectError => {
    const out = new Map<string, { key: Source; node: SMap }>();
    const s = root.entries.get('services');
    if (!s || (s.node.kind === 'scalar' && s.node.value === null)) return out;
    if (s.node.kind !== 'map') return { ok: false, kind: 'invalid', reason: 'services must be a mapping', source: s.key };
    for (const [name, e] of s.node.entries) {
      if (e.node.kind !== 'map') return { ok: false, kind: 'invalid', reason: `service "${name}" must be a mapping`, source: e.key };
      out.set(name, { key: e.key, node: normalizeService(e.node) });
    }
    return out;
  };

  let name: string | null = null;
  const merged = new Map<string, { key: Source; node: SMap }>();
  for (const f of files) {
    const r = await load(f);
    if (!r.ok) return r;
    const n = r.root.entries.get('name')?.node;
    if (n?.kind === 'scalar' && typeof n.value === 'string' && n.value !== '') name = n.value;
    const svcs = servicesOf(r.root);
    if (!(svcs instanceof Map)) return svcs;
    for (const [sname, s] of svcs) {
      const prev = merged.get(sname);
      merged.set(sname, prev ? { key: prev.key, node: mergeService(prev.node, s.node) } : s);
    }
  }

  const resolve = async (sname: string, svc: SMap, file: string, stack: string[]): Promise<SMap | ProjectError> => {
    const ext = svc.entries.get('extends');
    if (!ext) return svc;
    const at = ext.key;
    if (ext.node.kind !== 'map')
      return { ok: false, kind: 'invalid', reason: `service "${sname}": extends must be a string or a mapping`, source: at };
    const target = ext.node.entries.get('service')?.node;
    if (target?.kind !== 'scalar' || typeof target.value !== 'string')
      return { ok: false, kind: 'invalid', reason: `service "${sname}": extends.service is required`, source: at };
    const fileNode = ext.node.entries.get('file')?.node;
    const extFile =
      fileNode?.kind === 'scalar' && typeof fileNode.value === 'string'
        ? posix.resolve(posix.dirname(ext.key.path ?? file), fileNode.value)
        : null;
    const baseFile = extFile ?? ext.key.path ?? file;
    const id = `${baseFile}#${target.value}`;
    if (stack.includes(id) || stack.length > MAX_EXTENDS_DEPTH)
      return { ok: false, kind: 'invalid', reason: `service "${sname}": circular extends (${[...stack, id].join(' -> ')})`, source: at };
    let base: SMap;
    if (extFile === null) {
      const b = merged.get(target.value);
      if (!b)
        return { ok: false, kind: 'invalid', reason: `service "${sname}" extends "${target.value}", which is not defined`, source: at };
      base = b.node;
    } else {
      const r = await load(extFile);
      if (!r.ok)
        return {
          ...r,
          kind: r.kind === 'unreadable' ? 'invalid' : r.kind,
          reason: `service "${sname}" extends a file that cannot be used: ${r.reason}`,
          source: r.kind === 'unreadable' ? at : r.source,
        };
      const svcs = servicesOf(r.root);
      if (!(svcs instanceof Map)) return svcs;
      const b = svcs.get(target.value);
      if (!b)
        return {
          ok: false,
          kind: 'invalid',
          reason: `service "${sname}" extends "${target.value}", which ${extFile} does not define`,
          source: at,
        };
      base = rebaseService(b.node, posix.dirname(extFile));
    }
    const resolvedBase = await resolve(target.value, base, baseFile, [...stack, id]);
    if (!(resolvedBase.kind === 'map')) return resolvedBase;
    const local: SMap = { ...svc, entries: new Map([...svc.entries].filter(([k]) => k !== 'extends')) };
    const baseNoExt: SMap = { ...resolvedBase, entries: new Map([...resolvedBase.entries].filter(([k]) => k !== 'extends')) };
    return mergeService(baseNoExt, local);
  };

  const services: ProjectService[] = [];
  for (const [sname, s] of merged) {
    const r = await resolve(sname, s.node, s.key.path ?? first, [`${s.key.path ?? first}#${sname}`]);
    if (r.kind !== 'map') return r;
    services.push({ name: sname, key: s.key, node: r });
  }
  return { ok: true, name: name ?? env.COMPOSE_PROJECT_NAME ?? defaultProjectName(dir), dir, services, unset: [...unset], links: [] };
}
