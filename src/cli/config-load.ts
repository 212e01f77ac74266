import { LineCounter, parseDocument, isNode, isMap, isScalar } from 'yaml';
import { validateConfig, type Config } from '../config/schema.js';
import { UsageError } from './errors.js';

/** Parses and validates a config file; errors name the key and its line. */
export function parseConfigText(text: string, file: string): Config {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lc.linePos(e.pos[0]);
    throw new UsageError(`${file}:${pos.line}: invalid YAML: ${e.message.split('\n')[0]}`);
  }
  const r = validateConfig(doc.toJS());
  if (r.ok) return r.config;
  const lines = r.issues.map((i) => {
    const path = i.path === '(top level)' ? [] : i.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    let node: unknown = path.length ? doc.getIn(path, true) : doc.contents;
    if (i.key !== undefined && isMap(node)) node = node.items.find((p) => isScalar(p.key) && p.key.value === i.key)?.key ?? node;
    const at = isNode(node) && node.range ? `:${lc.linePos(node.range[0]).line}` : '';
    return `${file}${at}: ${i.path}: ${i.message}`;
  });
  throw new UsageError(`invalid configuration:\n  ${lines.join('\n  ')}`);
}
