import { isScalar, LineCounter, parseDocument, visit, type Document, type DocumentOptions, type ParseOptions } from 'yaml';

/**
 * YAML documents parsed in linear time. The yaml library's `uniqueKeys` compares each key of a map
 * with every earlier one (40,000 keys: 6 s, issue 13); here the library is told not to, and one walk
 * with a Set per map finds the first duplicate by the same rule (equal scalar values) instead.
 */
export function parseYamlDocument(
  text: string,
  opts: ParseOptions & DocumentOptions = {},
): { doc: Document.Parsed; lc: LineCounter; error: { message: string; line: number } | null } {
  const lc = opts.lineCounter ?? new LineCounter();
  const deep = flowTooDeep(text, MAX_FLOW_DEPTH);
  if (deep !== null)
    return {
      doc: parseDocument(''),
      lc,
      error: { message: `flow collections nested deeper than ${MAX_FLOW_DEPTH} levels: not parsed`, line: deep },
    };
  const doc = withoutStacks(() => parseDocument(text, { prettyErrors: false, ...opts, lineCounter: lc, uniqueKeys: false }));
  const first = doc.errors[0];
  if (first) return { doc, lc, error: { message: first.message.split('\n')[0] ?? first.code, line: lc.linePos(first.pos[0]).line } };
  const dup = firstDuplicateKey(doc);
  return { doc, lc, error: dup === null ? null : { message: 'Map keys must be unique', line: lc.linePos(dup).line } };
}

/**
 * Runs `fn` with no stack traces captured for the errors it creates (synchronous, then restored). The
 * yaml library makes an Error object per problem: garbage gets several per line, and capturing their
 * stacks was most of the time (72,000 errors on 8,000 lines of flow maps: 3 s).
 */
export function withoutStacks<T>(fn: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fn();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** Flow collections ([ and {) deeper than this are refused before the library sees them. */
export const MAX_FLOW_DEPTH = 64;

/**
 * The line where `[`/`{` nesting first exceeds `max`, or null: one pass that skips quoted scalars and
 * comments. The yaml library recurses per level: 60,000 `[` overflowed its stack after 1.5 s. Brackets
 * in plain scalars are counted too (64 unclosed ones: no real file); an apostrophe in a plain scalar
 * can hide brackets from the count, and then the library's own limits apply, as before.
 */
export function flowTooDeep(text: string, max: number): number | null {
  let depth = 0;
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '#' && (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t' || text[i - 1] === '\n')) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl - 1;
    } else if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) {
        if (text[i] === '\n') line++;
        else if (c === '"' && text[i] === '\\') i++;
      }
    } else if (c === '[' || c === '{') {
      if (++depth > max) return line;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return null;
}

/** The offset of the first key that repeats an earlier key of its map (the merge key `<<` may repeat), or null. */
export function firstDuplicateKey(doc: Document): number | null {
  let at: number | null = null;
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const k = isScalar(pair.key) ? pair.key.value : pair.key;
        if (typeof k !== 'string' && typeof k !== 'number' && typeof k !== 'boolean' && typeof k !== 'bigint') continue;
        if (k === '<<') continue;
        const id = `${typeof k}:${String(k)}`;
        if (seen.has(id)) {
          at = isScalar(pair.key) ? (pair.key.range?.[0] ?? 0) : 0;
          return visit.BREAK;
        }
        seen.add(id);
      }
      return undefined;
    },
  });
  return at;
}
