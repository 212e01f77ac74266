import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { Source } from '../../facts/evidence.js';
import { flowTooDeep, MAX_FLOW_DEPTH, withoutStacks } from '../../util/yaml-safe.js';
import { interpolate } from './compose-interpolate.js';

/**
 * A compose file as a tree whose every node knows its file:line, after YAML anchors, aliases and
 * merge keys (<<) are resolved and scalars are interpolated. Internal to the collector: it still holds
 * values (environment:) that must never reach facts.
 */
export type SNode = SMap | SSeq | SScalar;
export interface SMap {
  kind: 'map';
  at: Source;
  tag: string | null;
  entries: Map<string, { key: Source; node: SNode }>;
}
export interface SSeq {
  kind: 'seq';
  at: Source;
  tag: string | null;
  items: SNode[];
}
export interface SScalar {
  kind: 'scalar';
  at: Source;
  tag: string | null;
  value: string | number | boolean | null;
  /** The text contained a $-expression. */
  interpolated: boolean;
}

export type ComposeFileResult =
  | { ok: true; root: SMap; variables: string[]; unset: string[] }
  | { ok: false; kind: 'invalid' | 'unresolved'; reason: string; source: Source };

const MAX_DEPTH = 64;
/** Nodes after alias expansion: a real compose file has a few thousand; a billion-laughs file, 10^9. */
const MAX_NODES = 200_000;

/** Parses and interpolates one compose file. Never throws: errors are values naming file:line. */
export function parseComposeFile(text: string, path: string, env: Readonly<Record<string, string>>): ComposeFileResult {
  const lc = new LineCounter();
  const deep = flowTooDeep(text, MAX_FLOW_DEPTH);
  if (deep !== null)
    return {
      ok: false,
      kind: 'invalid',
      reason: `YAML flow collections nested deeper than ${MAX_FLOW_DEPTH} levels: not parsed`,
      source: { path, line: deep },
    };
  let doc: Document.Parsed;
  try {
    // uniqueKeys: the library compares each key with every earlier one (40,000 keys: 6 s); the walk
    // below checks duplicates with a Set instead (same rule: equal scalar values), in linear time.
    doc = withoutStacks(() => parseDocument(text, { lineCounter: lc, uniqueKeys: false, merge: true, prettyErrors: false }));
  } catch (e) {
    return { ok: false, kind: 'invalid', reason: `YAML: ${(e as Error).message}`, source: { path } };
  }
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0].line ?? lc.linePos(err.pos[0]).line;
    return { ok: false, kind: 'invalid', reason: `YAML: ${err.message.split('\n')[0] ?? err.code}`, source: { path, line } };
  }
  const variables: string[] = [];
  const unset: string[] = [];
  const lineOf = (n: { range?: [number, number, number] | null | undefined } | null | undefined): number =>
    n?.range ? lc.linePos(n.range[0]).line : 1;

  class Fail extends Error {
    constructor(readonly r: Extract<ComposeFileResult, { ok: false }>) {
      super(r.reason);
    }
  }

  let budget = MAX_NODES;
  const convert = (node: unknown, depth: number): SNode => {
    if (depth > MAX_DEPTH) throw new Fail({ ok: false, kind: 'invalid', reason: 'YAML nesting too deep (alias loop?)', source: { path } });
    if (--budget < 0)
      throw new Fail({
        ok: false,
        kind: 'invalid',
        reason: `YAML aliases expand to more than ${MAX_NODES} nodes (an alias bomb?): not expanded`,
        source: { path, line: lineOf(node as YamlNode | null) },
      });
    let n = node;
    if (isAlias(n)) n = n.resolve(doc);
    const at: Source = { path, line: lineOf(n as YamlNode | null) };
    if (n === null || n === undefined) return { kind: 'scalar', at, tag: null, value: null, interpolated: false };
    const tag = (n as { tag?: string }).tag ?? null;
    if (isMap(n)) {
      const entries = new Map<string, { key: Source; node: SNode }>();
      const seen = new Set<string>();
      const merged: SMap[] = [];
      for (const item of n.items) {
        if (!isPair(item)) continue;
        const k = isScalar(item.key) ? item.key.value : item.key;
        // With merge: true the yaml library gives the merge key as a Symbol('<<').
        if (k === '<<' || (typeof k === 'symbol' && k.description === '<<')) {
          const src = isAlias(item.value) ? item.value.resolve(doc) : item.value;
          const list = isSeq(src) ? src.items : [item.value];
          for (const m of list) {
            const c = convert(m, depth + 1);
            if (c.kind === 'map') merged.push(c);
          }
          continue;
        }
        if (typeof k !== 'string' && typeof k !== 'number' && typeof k !== 'boolean') {
          throw new Fail({
            ok: false,
            kind: 'invalid',
            reason: 'a mapping key is not a plain scalar',
            source: { path, line: lineOf(item.key as YamlNode) },
          });
        }
        const id = `${typeof k}:${String(k)}`;
        if (seen.has(id))
          throw new Fail({
            ok: false,
            kind: 'invalid',
            reason: 'YAML: Map keys must be unique',
            source: { path, line: lineOf(item.key as YamlNode) },
          });
        seen.add(id);
        entries.set(String(k), { key: { path, line: lineOf(item.key as YamlNode) }, node: convert(item.value, depth + 1) });
      }
      // Merge keys: explicit keys win, earlier merged maps win over later ones (YAML merge-key spec).
      for (const m of merged) for (const [k, v] of m.entries) if (!entries.has(k)) entries.set(k, v);
      return { kind: 'map', at, tag, entries };
    }
    if (isSeq(n)) return { kind: 'seq', at, tag, items: n.items.map((i) => convert(i, depth + 1)) };
    if (isScalar(n)) {
      const v = n.value;
      if (typeof v === 'string') {
        if (!v.includes('$')) return { kind: 'scalar', at, tag, value: v, interpolated: false };
        const r = interpolate(v, env);
        if (!r.ok) throw new Fail({ ok: false, kind: r.variable ? 'unresolved' : 'invalid', reason: r.reason, source: at });
        variables.push(...r.variables);
        unset.push(...r.unset);
        return { kind: 'scalar', at, tag, value: r.value, interpolated: true };
      }
      if (typeof v === 'number' || typeof v === 'boolean' || v === null) return { kind: 'scalar', at, tag, value: v, interpolated: false };
      return {
        kind: 'scalar',
        at,
        tag,
        value: typeof v === 'bigint' ? v.toString() : v instanceof Date ? v.toISOString() : (JSON.stringify(v) ?? null),
        interpolated: false,
      };
    }
    return { kind: 'scalar', at, tag, value: null, interpolated: false };
  };

  try {
    const root = doc.contents === null ? null : convert(doc.contents, 0);
    if (root === null || (root.kind === 'scalar' && root.value === null))
      return { ok: true, root: { kind: 'map', at: { path, line: 1 }, tag: null, entries: new Map() }, variables, unset };
    if (root.kind !== 'map')
      return {
        ok: false,
        kind: 'invalid',
        reason: 'the top level of a compose file must be a mapping',
        source: { path, line: root.at.line ?? 1 },
      };
    return { ok: true, root, variables: [...new Set(variables)], unset: [...new Set(unset)] };
  } catch (e) {
    if (e instanceof Fail) return e.r;
    return { ok: false, kind: 'invalid', reason: `YAML: ${(e as Error).message}`, source: { path } };
  }
}

export const get = (m: SMap | null | undefined, key: string): SNode | null => m?.entries.get(key)?.node ?? null;
export const keyAt = (m: SMap, key: string): Source | null => m.entries.get(key)?.key ?? null;
export const asMap = (n: SNode | null): SMap | null => (n?.kind === 'map' ? n : null);
