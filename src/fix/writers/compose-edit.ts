// Byte-exact edits of one compose file: the yaml library's Document API finds the nodes and their
// source ranges, and only those bytes change (a value replaced, a key or list item inserted on a line
// of its own at the indentation of its siblings); comments, quoting and layout elsewhere stay as written.
// Re-rendering the document (Document#toString) would move comments and respace flow lists.
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

/** How a compose key is brought to the wanted state (Compose Specification, services.*). */
export type ComposeOp =
  | { kind: 'scalar'; key: string; yaml: string; ok: (v: unknown) => boolean }
  | { kind: 'item'; key: string; item: string; conflicts: (s: string) => boolean };

interface Splice {
  at: number;
  del: number;
  text: string;
}

const lineStart = (text: string, pos: number): number => text.lastIndexOf('\n', pos - 1) + 1;
const afterLine = (text: string, pos: number): number => {
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl + 1;
};

/** The edits that bring one service mapping to the op's state, or why not. */
/** `merged`: the key's value in the service once merge keys (<<) are resolved, as compose reads it. */
function serviceSplices(text: string, doc: Document, svc: YAMLMap, op: ComposeOp, merged: unknown): Splice[] | string {
  if (svc.flow) return 'a flow mapping ({...}) is not edited in place';
  const pairs = svc.items as Pair<Node, Node | null>[];
  const first = pairs[0]?.key;
  if (!first?.range) return 'an empty service mapping';
  const indent = ' '.repeat(first.range[0] - lineStart(text, first.range[0]));
  const pair = pairs.find((p) => isScalar(p.key) && p.key.value === op.key);
  const last = pairs[pairs.length - 1]!;
  const end = (last.value?.range ?? last.key.range)![1];
  // A new key goes after the line where the service's last value ends (a trailing comment stays on it).
  const insertAt = afterLine(text, Math.max(end - 1, 0));
  const nl = insertAt === text.length && !text.endsWith('\n') ? '\n' : '';
  // An alias (cap_drop: *caps) is shared: this service gets its own value in its place when it must change.
  if (pair && isAlias(pair.value) && pair.value.range) {
    const target = pair.value.resolve(doc);
    const r = pair.value.range;
    if (op.kind === 'scalar') return isScalar(target) && op.ok(target.value) ? [] : [{ at: r[0], del: r[1] - r[0], text: op.yaml }];
    if (!isSeq(target)) return `${op.key} is an alias of something other than a list`;
    const items = (target.items as Node[]).map((i) => (isScalar(i) ? String(i.value) : null));
    if (items.includes(op.item)) return [];
    if (items.some((i) => i === null)) return `${op.key} is an alias of a list that is not plain values`;
    const kept = items.filter((i): i is string => i !== null && !op.conflicts(i));
    return [{ at: r[0], del: r[1] - r[0], text: `[${[...kept.map((i) => JSON.stringify(i)), op.item].join(', ')}]` }];
  }
  if (op.kind === 'scalar') {
    if (!pair && merged !== undefined && op.ok(merged)) return [];
    if (!pair) return [{ at: insertAt, del: 0, text: `${nl}${indent}${op.key}: ${op.yaml}\n` }];
    const v = pair.value;
    if (!isScalar(v) || !v.range) return `${op.key} is not a plain value`;
    if (op.ok(v.value)) return [];
    return [{ at: v.range[0], del: v.range[1] - v.range[0], text: op.yaml }];
  }
  if (!pair) {
    // A list the service gets from a merge key keeps its items (minus contradicting ones).
    const from = Array.isArray(merged) ? merged.map(String) : [];
    if (from.includes(op.item)) return [];
    const kept = from.filter((i) => !op.conflicts(i)).map((i) => JSON.stringify(i));
    return [{ at: insertAt, del: 0, text: `${nl}${indent}${op.key}: [${[...kept, op.item].join(', ')}]\n` }];
  }
  const seq = pair.value;
  if (!isSeq(seq) || !seq.range) return `${op.key} is not a list`;
  const items = seq.items as Node[];
  if (items.some((i) => isScalar(i) && String(i.value) === op.item)) return [];
  const out: Splice[] = [];
  // A contradicting item (no-new-privileges:false) is replaced by the wanted one.
  const bad = items.find((i) => isScalar(i) && op.conflicts(String(i.value)));
  if (bad?.range) return [{ at: bad.range[0], del: bad.range[1] - bad.range[0], text: op.item }];
  const lastItem = items[items.length - 1];
  if (seq.flow) {
    if (!lastItem?.range) {
      const close = text.lastIndexOf(']', seq.range[1]);
      out.push({ at: close, del: 0, text: op.item });
    } else out.push({ at: lastItem.range[1], del: 0, text: `, ${op.item}` });
    return out;
  }
  if (!lastItem?.range) return `${op.key} is an empty block list`;
  const dash = text.lastIndexOf('-', lastItem.range[0]);
  const itemIndent = ' '.repeat(dash - lineStart(text, dash));
  return [{ at: afterLine(text, Math.max(lastItem.range[1] - 1, 0)), del: 0, text: `${itemIndent}- ${op.item}\n` }];
}

export interface ComposeEdit {
  text: string;
  /** Services changed, with the 1-based line of the key. */
  changed: { service: string; line: number }[];
}

/** Applies `op` to every service of the file (`services:` mapping); other bytes stay. */
export function editComposeServices(text: string, op: ComposeOp): ComposeEdit | { error: string } {
  const doc = parseDocument(text, { keepSourceTokens: true });
  if (doc.errors.length > 0) return { error: `not valid YAML: ${doc.errors[0]!.message}` };
  const services = doc.get('services', true);
  let js: { services?: Record<string, Record<string, unknown> | null> } | null;
  try {
    js = parseDocument(text, { merge: true }).toJS() as typeof js;
  } catch (e) {
    // The yaml library's alias budget (maxAliasCount): an alias bomb is refused, not expanded.
    return { error: `cannot resolve the file's aliases: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (services === undefined || services === null) return { text, changed: [] };
  if (!isMap(services)) return { error: 'services is not a mapping' };
  const splices: { s: Splice; service: string }[] = [];
  for (const p of services.items as Pair<Node, Node | null>[]) {
    const name = isScalar(p.key) ? String(p.key.value) : '?';
    if (p.value === null || (isScalar(p.value) && p.value.value === null)) return { error: `service ${name} is empty` };
    if (!isMap(p.value)) return { error: `service ${name} is not a mapping` };
    const r = serviceSplices(text, doc, p.value, op, js?.services?.[name]?.[op.key]);
    if (typeof r === 'string') return { error: `service ${name}: ${r}` };
    for (const s of r) splices.push({ s, service: name });
  }
  // One pass over the splices in order (linear in the file, whatever the number of services).
  const parts: string[] = [];
  let pos = 0;
  for (const { s } of [...splices].sort((a, b) => a.s.at - b.s.at)) {
    parts.push(text.slice(pos, s.at), s.text);
    pos = s.at + s.del;
  }
  parts.push(text.slice(pos));
  const out = parts.join('');
  const changed: ComposeEdit['changed'] = [];
  // Lines after the edits, read back from the result.
  const after = parseDocument(out);
  if (after.errors.length > 0) return { error: `the edit would not parse (${after.errors[0]!.message}): a bug, nothing written` };
  const starts = [0];
  for (let i = out.indexOf('\n'); i >= 0; i = out.indexOf('\n', i + 1)) starts.push(i + 1);
  const lc = (at: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  for (const name of new Set(splices.map((s) => s.service))) {
    const svc = after.getIn(['services', name], true) as YAMLMap | undefined;
    const pair =
      svc && isMap(svc) ? (svc.items as Pair<Node, Node | null>[]).find((p) => isScalar(p.key) && p.key.value === op.key) : undefined;
    changed.push({ service: name, line: pair?.key.range ? lc(pair.key.range[0]) : 1 });
  }
  return { text: out, changed };
}
