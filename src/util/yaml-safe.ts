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
  const doc = parseDocument(text, { prettyErrors: false, ...opts, lineCounter: lc, uniqueKeys: false });
  const first = doc.errors[0];
  if (first) return { doc, lc, error: { message: first.message.split('\n')[0] ?? first.code, line: lc.linePos(first.pos[0]).line } };
  const dup = firstDuplicateKey(doc);
  return { doc, lc, error: dup === null ? null : { message: 'Map keys must be unique', line: lc.linePos(dup).line } };
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
