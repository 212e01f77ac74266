import { resolve } from 'node:path';
import { isNode, isMap, isScalar, isSeq, type Document } from 'yaml';
import { parseYamlDocument } from '../util/yaml-safe.js';
import { DEFAULT_CONFIG, validateConfig, type Config } from '../config/schema.js';
import type { Target } from '../target/types.js';
import { UsageError } from './errors.js';
import type { Io } from './io.js';

import { readRegularFile } from '../util/safe-read.js';

type PathKey = string | number;

/** A Rampart configuration is a few kilobytes: one mebibyte bounds a hostile one. */
const MAX_CONFIG_BYTES = 1024 * 1024;
/** Aliases a configuration may resolve (the yaml library's own default): a billion-laughs file is refused. */
const MAX_ALIAS_COUNT = 100;

/** The node at `path`, or the nearest ancestor that exists (a missing key is reported at its map). */
function nearestNode(doc: Document, path: PathKey[]): unknown {
  for (let n = path.length; n > 0; n--) {
    const node: unknown = doc.getIn(path.slice(0, n), true);
    if (isNode(node)) return node;
  }
  return doc.contents;
}

/** Parses and validates a config file; errors name the key and its line. */
export function parseConfigText(text: string, file: string): Config {
  const { doc, lc, error } = parseYamlDocument(text);
  if (error) throw new UsageError(`${file}:${error.line}: invalid YAML: ${error.message}`);
  const lineOf = (node: unknown) => (isNode(node) && node.range ? lc.linePos(node.range[0]).line : null);
  // `source` is what Rampart records about a waiver (its file and line), not a key to write.
  const waiverNodes = doc.get('waivers', true);
  if (isSeq(waiverNodes)) {
    for (const [i, item] of waiverNodes.items.entries()) {
      const key = isMap(item) ? item.items.find((p) => isScalar(p.key) && p.key.value === 'source')?.key : undefined;
      if (key) throw new UsageError(`invalid configuration:\n  ${file}:${lineOf(key) ?? '?'}: waivers.${i}: unknown key: source`);
    }
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    // An alias to no anchor (`*x`) passes parseDocument and throws here (found by test/fuzz); the yaml library
    // refuses an alias bomb (ReferenceError "Excessive alias count"); deep nesting overflows the stack
    throw new UsageError(`${file}: invalid YAML: ${e instanceof RangeError ? 'nesting too deep' : (e as Error).message.split('\n')[0]}`);
  }
  const r = validateConfig(data);
  if (r.ok) {
    if (!isSeq(waiverNodes)) return r.config;
    const waivers = r.config.waivers.map((w, i) => {
      const line = lineOf(waiverNodes.items[i]);
      return line === null ? w : { ...w, source: { path: file, line } };
    });
    return { ...r.config, waivers };
  }
  const lines = r.issues.map((i) => {
    const path = i.path === '(top level)' ? [] : i.path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    let node: unknown = path.length ? nearestNode(doc, path) : doc.contents;
    if (i.key !== undefined && isMap(node)) node = node.items.find((p) => isScalar(p.key) && p.key.value === i.key)?.key ?? node;
    const line = lineOf(node);
    return `${file}${line === null ? '' : `:${line}`}: ${i.path}: ${i.message}`;
  });
  throw new UsageError(`invalid configuration:\n  ${lines.join('\n  ')}`);
}

/**
 * The configuration: `--config FILE` (relative to the working directory), else /etc/rampart/config.yaml
 * on the target (inside an offline root), else the defaults (no target: a replay without --config).
 */
export async function loadConfig(io: Pick<Io, 'cwd'>, configPath: string | undefined, target: Target | null): Promise<Config> {
  if (configPath !== undefined) {
    const file = resolve(io.cwd, configPath);
    let text: string;
    try {
      text = await readRegularFile(file, MAX_CONFIG_BYTES);
    } catch (e) {
      throw new UsageError(`--config ${configPath}: ${(e as Error).message}`);
    }
    return parseConfigText(text, file);
  }
  if (!target) return DEFAULT_CONFIG;
  const r = await target.readText('/etc/rampart/config.yaml', { maxBytes: MAX_CONFIG_BYTES });
  if (!r.ok) {
    if (r.error === 'missing') return DEFAULT_CONFIG;
    throw new UsageError(`/etc/rampart/config.yaml on the target: ${r.message}`);
  }
  return parseConfigText(r.text, target.root === '/' ? '/etc/rampart/config.yaml' : `${target.root}/etc/rampart/config.yaml (in the root)`);
}
