import { promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import type { Severity } from '../catalog/types.js';
import { parseSnapshot } from '../cli/snapshot-io.js';
import type { Report } from '../evaluate/report.js';
import type { FactsSnapshot } from '../facts/index.js';
import { collectSnapshot } from '../audit.js';
import { CHECKS } from '../checks/index.js';
import type { Config } from '../config/schema.js';
import type { StateSource } from '../store/state-facts.js';
import { buildPayload, decodePayloadOutput, type PayloadRequest } from './payload.js';
import { RecordedTarget } from './recorded-target.js';
import { buildFleetDocument } from './document.js';
import type { FleetDocument, FleetHost } from './types.js';

/**
 * `rampart audit --facts DIR` (issue 11): every `<name>.json` of DIR is one host's FactsSnapshot (as
 * `--save-facts` writes it, or as the playbook's fetched outputs become after `fleet playbook` +
 * recorded-target conversion). A file that cannot be read, is too large, is not JSON, carries a
 * `__proto__` key or is not a snapshot makes that host not assessed (kind 'facts'); the others go on.
 */

/** A snapshot file larger than this is refused unread (a real one is well under 10 MiB). */
export const MAX_FACTS_FILE_BYTES = 64 * 1024 * 1024;
/** At most this many hosts in one directory. */
export const MAX_FACTS_FILES = 10_000;

/** How a payload output (`<host>.out` beside `rampart-payload.json`) becomes a snapshot. */
export interface OutputConversion {
  config: Config;
  state: StateSource;
  now?: Date | undefined;
}

export type LoadedHost = { name: string; file: string; snapshot: FactsSnapshot } | { name: string; file: string; error: string };

/** JSON.parse that refuses a `__proto__` key anywhere (it would become a prototype once copied). */
export function parseJsonNoProto(text: string): unknown {
  return JSON.parse(text, (k, v: unknown) => {
    if (k === '__proto__') throw new SyntaxError('a "__proto__" key is not accepted');
    return v;
  });
}

/** Reads one snapshot file, never throwing: a snapshot or why not. */
export async function loadFactsFile(file: string, name = basename(file).replace(/\.json$/, '')): Promise<LoadedHost> {
  try {
    const st = await fsp.stat(file);
    if (!st.isFile()) return { name, file, error: 'not a regular file' };
    if (st.size > MAX_FACTS_FILE_BYTES) return { name, file, error: `too large (${st.size} bytes, at most ${MAX_FACTS_FILE_BYTES})` };
    const text = await fsp.readFile(file, 'utf8');
    try {
      parseJsonNoProto(text);
    } catch (e) {
      return { name, file, error: `not a facts snapshot (invalid JSON: ${(e as Error).message})` };
    }
    return { name, file, snapshot: parseSnapshot(text, basename(file)) };
  } catch (e) {
    return { name, file, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Is this path a directory (then --facts means a fleet)? */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await fsp.stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export const MANIFEST = 'rampart-payload.json';

/** The playbook's manifest: its nonce and requests, validated by rebuilding the payload from them. */
export async function loadManifest(file: string): Promise<{ nonce: string; requests: PayloadRequest[] }> {
  const st = await fsp.stat(file);
  if (st.size > MAX_FACTS_FILE_BYTES) throw new Error(`${MANIFEST}: too large`);
  const data = parseJsonNoProto(await fsp.readFile(file, 'utf8')) as { kind?: unknown; nonce?: unknown; requests?: unknown };
  if (
    data === null ||
    typeof data !== 'object' ||
    data.kind !== 'rampart-payload' ||
    typeof data.nonce !== 'string' ||
    !Array.isArray(data.requests)
  )
    throw new Error(`${MANIFEST}: not a rampart payload manifest`);
  const p = buildPayload(data.requests as PayloadRequest[], data.nonce);
  return { nonce: p.nonce, requests: p.requests };
}

/** One host's fetched payload output (base64, as the playbook saves it) → its snapshot, through a RecordedTarget. */
export async function snapshotFromOutput(
  name: string,
  manifest: { nonce: string; requests: PayloadRequest[] },
  text: string,
  conv: OutputConversion,
): Promise<{ snapshot: FactsSnapshot; target: RecordedTarget }> {
  if (!/^[A-Za-z0-9+/=\s]*$/.test(text)) throw new Error('not a payload output (not base64)');
  const bytes = Buffer.from(text.replace(/\s+/g, ''), 'base64');
  const d = decodePayloadOutput(manifest, bytes);
  if (!d.ok) throw new Error(`payload output: ${d.message}`);
  const target = new RecordedTarget(name, { requests: manifest.requests, results: d.results });
  const snapshot = await collectSnapshot(target, conv.config, {
    checks: CHECKS,
    targetName: name,
    state: conv.state,
    clock: () => conv.now ?? new Date(),
    now: conv.now,
    collectorTimeoutMs: 60_000,
    commandTimeoutMs: 15_000,
  });
  return { snapshot, target };
}

/**
 * Every `<host>.json` snapshot of the directory, and with `conv`, every `<host>.out` payload output when
 * the playbook's `rampart-payload.json` is there; sorted by name, hidden files skipped.
 */
export async function loadFactsDir(dir: string, conv?: OutputConversion): Promise<LoadedHost[]> {
  const all = (await fsp.readdir(dir)).filter((n) => !n.startsWith('.'));
  const hasManifest = all.includes(MANIFEST);
  const names = all
    .filter(
      (n) =>
        n !== MANIFEST &&
        ((n.endsWith('.json') && n.length > 5) || (conv !== undefined && hasManifest && n.endsWith('.out') && n.length > 4)),
    )
    .sort();
  if (names.length === 0) throw new Error(`${dir}: no <host>.json snapshot (or <host>.out payload output) in this directory`);
  if (names.length > MAX_FACTS_FILES) throw new Error(`${dir}: ${names.length} files, at most ${MAX_FACTS_FILES}`);
  let manifest: { nonce: string; requests: PayloadRequest[] } | Error | null = null;
  const out: LoadedHost[] = [];
  for (const n of names) {
    const file = join(dir, n);
    if (n.endsWith('.json')) {
      out.push(await loadFactsFile(file));
      continue;
    }
    const name = n.slice(0, -4);
    try {
      manifest ??= await loadManifest(join(dir, MANIFEST)).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
      if (manifest instanceof Error) throw manifest;
      const st = await fsp.stat(file);
      if (!st.isFile()) throw new Error('not a regular file');
      if (st.size > MAX_FACTS_FILE_BYTES * 2) throw new Error(`too large (${st.size} bytes)`);
      const { snapshot } = await snapshotFromOutput(name, manifest, await fsp.readFile(file, 'latin1'), conv!);
      out.push({ name, file, snapshot });
    } catch (e) {
      out.push({ name, file, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
}

/** Loaded hosts → the fleet document; `evaluate` turns one snapshot into its report. */
export function factsDirDocument(
  loaded: readonly LoadedHost[],
  evaluate: (s: FactsSnapshot) => Report,
  opts: { failOn: Severity; failOnUnknown?: boolean; generatedAt: Date },
): FleetDocument {
  const hosts: FleetHost[] = loaded.map((l) => {
    if ('error' in l) return { name: l.name, error: { kind: 'facts', message: `${basename(l.file)}: ${l.error}` } };
    try {
      return { name: l.name, report: evaluate(l.snapshot) };
    } catch (e) {
      return { name: l.name, error: { kind: 'facts', message: `${basename(l.file)}: ${e instanceof Error ? e.message : String(e)}` } };
    }
  });
  return buildFleetDocument(hosts, opts.failOn, {
    ...(opts.failOnUnknown !== undefined ? { failOnUnknown: opts.failOnUnknown } : {}),
    generatedAt: opts.generatedAt.toISOString(),
  });
}
