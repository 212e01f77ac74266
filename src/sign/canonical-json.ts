/**
 * JSON Canonicalization Scheme, RFC 8785 (JCS). Pure.
 *
 * - Primitives are serialised as ECMAScript's JSON.stringify does (RFC 8785 §3.2.2): numbers in the
 *   shortest round-trip form of Number.prototype.toString (1e+30, 4.5, 1e-27; -0 → 0), strings with
 *   only `"`, `\` and U+0000–U+001F escaped (as \b \t \n \f \r or \u00xx, lower-case hex).
 * - Object members are sorted by their names as arrays of UTF-16 code units (§3.2.3), not by locale or
 *   code point; no whitespace anywhere.
 * - NaN, ±Infinity, undefined, functions, symbols, bigints and lone surrogates cannot be represented:
 *   they are errors (§3.2.2.2 and I-JSON, RFC 7493), never silently dropped.
 */

export class CanonicalJsonError extends Error {}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Compares by UTF-16 code units (what RFC 8785 §3.2.3 asks for), independent of locale. */
export function compareUtf16(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a.charCodeAt(i) - b.charCodeAt(i);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function str(s: string, where: string): string {
  if (LONE_SURROGATE.test(s)) throw new CanonicalJsonError(`${where}: a string with a lone surrogate is not I-JSON`);
  return JSON.stringify(s);
}

function walk(v: unknown, where: string, seen: Set<object>): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(v)) throw new CanonicalJsonError(`${where}: ${String(v)} is not a JSON number`);
      return Object.is(v, -0) ? '0' : String(v);
    case 'string':
      return str(v, where);
    case 'object': {
      if (seen.has(v)) throw new CanonicalJsonError(`${where}: cyclic structure`);
      seen.add(v);
      let out: string;
      if (Array.isArray(v)) {
        out = `[${v.map((x, i) => walk(x, `${where}[${i}]`, seen)).join(',')}]`;
      } else {
        const proto = Object.getPrototypeOf(v) as unknown;
        if (proto !== Object.prototype && proto !== null) throw new CanonicalJsonError(`${where}: not a plain object`);
        const keys = Object.keys(v).sort(compareUtf16);
        const rec = v as Record<string, unknown>;
        const parts: string[] = [];
        for (const k of keys) {
          if (rec[k] === undefined) throw new CanonicalJsonError(`${where}.${k}: undefined is not a JSON value`);
          parts.push(`${str(k, where)}:${walk(rec[k], `${where}.${k}`, seen)}`);
        }
        out = `{${parts.join(',')}}`;
      }
      seen.delete(v);
      return out;
    }
    default:
      throw new CanonicalJsonError(`${where}: a ${typeof v} is not a JSON value`);
  }
}

/** The canonical form of a JSON value (RFC 8785), as a string; encode it as UTF-8 to hash or sign it. */
export function canonicalize(value: unknown): string {
  return walk(value, '$', new Set());
}

/** Parses JSON text and returns its canonical form. */
export function canonicalizeText(text: string): string {
  return canonicalize(JSON.parse(text) as unknown);
}
