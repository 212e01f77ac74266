/**
 * Destinations of log shippers, each from its own config format. Only host, port and protocol are
 * kept: URLs lose user info, path and query (tokens, tenant keys), and credential options are never read.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { parseEndpoint } from './shippers-endpoint.js';

export interface ParsedDestination {
  host: string;
  port: number | null;
  protocol: string | null;
  /** The option that names it, e.g. `clients[0].url`, `[OUTPUT] Host`, `sinks.es.endpoint`. */
  via: string;
  line: number | null;
  /** A cloud service reached through its API (the host is implied by the service). */
  cloud: boolean;
}

export interface ShipperParse {
  destinations: ParsedDestination[];
  /** Further config files the file includes (globs, absolute or relative to its directory). */
  includes: string[];
  errors: { line: number | null; message: string }[];
}

const empty = (): ShipperParse => ({ destinations: [], includes: [], errors: [] });

function dest(text: string, via: string, line: number | null, fallbackProtocol: string | null = null): ParsedDestination | null {
  const e = parseEndpoint(text);
  if (!e) return null;
  return { host: e.host, port: e.port, protocol: e.scheme ?? fallbackProtocol, via, line, cloud: false };
}

function yamlDoc(text: string) {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false });
  const lineOf = (n: Node | null | undefined) => (n?.range ? lc.linePos(n.range[0]).line : null);
  const errors = doc.errors.map((e) => ({ line: e.linePos?.[0]?.line ?? null, message: `YAML: ${e.message.split('\n')[0] ?? ''}` }));
  return { doc, lineOf, errors };
}

/** Every key path of a YAML mapping, dotted keys split (Beats allow `output.elasticsearch:` and `output: elasticsearch:`). */
function flatten(node: unknown, prefix: string[], out: { path: string[]; node: Node }[]): void {
  if (isMap(node)) {
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : null;
      if (k === null) continue;
      flatten(pair.value, [...prefix, ...k.split('.')], out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => flatten(item, [...prefix, String(i)], out));
  } else if (node && typeof node === 'object' && 'range' in node) out.push({ path: prefix, node: node as Node });
}

function scalarText(n: Node): string | null {
  return isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number') ? String(n.value) : null;
}

function yamlDestinations(text: string, match: (path: string[]) => string | null, protocol: string | null = null): ShipperParse {
  const out = empty();
  const { doc, lineOf, errors } = yamlDoc(text);
  out.errors.push(...errors);
  const all: { path: string[]; node: Node }[] = [];
  flatten(doc.contents, [], all);
  for (const { path, node } of all) {
    const via = match(path);
    if (!via) continue;
    const v = scalarText(node);
    if (v === null) continue;
    const d = dest(v, via, lineOf(node), protocol);
    if (d) out.destinations.push(d);
    else out.errors.push({ line: lineOf(node), message: `cannot read a host in ${via}` });
  }
  return out;
}

/** Promtail: `clients: [{url}]` (and the old `client: {url}`); Grafana Agent static mode: `logs.configs[].clients[].url`. */
export function parsePromtail(text: string): ShipperParse {
  return yamlDestinations(text, (p) => {
    const s = p.join('.');
    return /^(?:clients\.\d+|client)\.url$/.test(s) || /^(?:logs|loki)\.configs\.\d+\.clients\.\d+\.url$/.test(s) ? s : null;
  });
}

/** Filebeat / Elastic Agent standalone: `output.{elasticsearch,logstash,kafka,redis}.hosts`, `outputs.<id>.hosts`, `cloud.id`, Fleet. */
export function parseBeats(text: string): ShipperParse {
  const out = yamlDestinations(text, (p) => {
    const s = p.join('.');
    return /^output\.(?:elasticsearch|logstash|kafka|redis)\.hosts(?:\.\d+)?$/.test(s) ||
      /^outputs\.[^.]+\.hosts\.\d+$/.test(s) ||
      /^fleet\.hosts\.\d+$/.test(s)
      ? s
      : null;
  });
  const { doc, lineOf } = yamlDoc(text);
  const all: { path: string[]; node: Node }[] = [];
  flatten(doc.contents, [], all);
  const cloud = all.find((e) => e.path.join('.') === 'cloud.id' && scalarText(e.node));
  if (cloud)
    out.destinations.push({
      host: 'Elastic Cloud (cloud.id)',
      port: null,
      protocol: 'https',
      via: 'cloud.id',
      line: lineOf(cloud.node),
      cloud: true,
    });
  return out;
}

/** Grafana Alloy / Agent flow (River): `loki.write "x" { endpoint { url = "…" } }`. */
export function parseAlloy(text: string): ShipperParse {
  const out = empty();
  const clean = text.replace(/("(?:[^"\\]|\\.)*")|\/\/[^\n]*/g, (m, q: string | undefined) => q ?? ' '.repeat(m.length));
  const lineAt = (o: number) => clean.slice(0, o).split('\n').length;
  for (const m of clean.matchAll(/\bloki\.write\s+"([^"]*)"\s*\{/g)) {
    let depth = 0;
    let end = clean.length;
    for (let i = m.index + m[0].length - 1; i < clean.length; i++) {
      if (clean[i] === '{') depth++;
      else if (clean[i] === '}' && --depth === 0) {
        end = i;
        break;
      }
    }
    const body = clean.slice(m.index, end);
    for (const u of body.matchAll(/\burl\s*=\s*"([^"]*)"/g)) {
      const d = dest(u[1]!, `loki.write "${m[1]!}" endpoint url`, lineAt(m.index + u.index));
      if (d) out.destinations.push(d);
    }
  }
  for (const inc of clean.matchAll(/\bimport\.file\s+"[^"]*"\s*\{[^}]*filename\s*=\s*"([^"]+)"/g)) out.includes.push(inc[1]!);
  return out;
}

const FLUENT_LOCAL_OUTPUTS = new Set(['stdout', 'file', 'null', 'counter', 'exit', 'flowcounter', 'prometheus_exporter', 'websocket']);
const FLUENT_CLOUD_OUTPUTS = new Set([
  'cloudwatch_logs',
  'kinesis_firehose',
  'kinesis_streams',
  's3',
  'stackdriver',
  'azure',
  'azure_blob',
  'azure_logs_ingestion',
  'azure_kusto',
  'bigquery',
  'datadog',
  'newrelic',
  'logdna',
  'chronicle',
  'oracle_log_analytics',
]);

/** Fluent Bit classic format: `[OUTPUT]` sections with Name, Host, Port (default host 127.0.0.1), `@INCLUDE`. */
export function parseFluentBit(text: string): ShipperParse {
  const out = empty();
  type Section = { name: string; line: number; keys: Record<string, { value: string; line: number }> };
  const sections: Section[] = [];
  let cur: Section | null = null;
  for (const [i, raw] of text.split('\n').entries()) {
    const t = raw.replace(/\r$/, '').trim();
    if (t === '' || t.startsWith('#')) continue;
    const inc = /^@INCLUDE\s+(\S+)/i.exec(t);
    if (inc) {
      out.includes.push(inc[1]!);
      continue;
    }
    if (t.startsWith('@')) continue;
    const sec = /^\[([A-Za-z_]+)\]$/.exec(t);
    if (sec) {
      cur = { name: sec[1]!.toUpperCase(), line: i + 1, keys: {} };
      sections.push(cur);
      continue;
    }
    const kv = /^(\S+)\s+(.*)$/.exec(t);
    if (!cur || !kv) {
      out.errors.push({ line: i + 1, message: `not a "Key Value" line inside a section: ${JSON.stringify(t.slice(0, 80))}` });
      continue;
    }
    cur.keys[kv[1]!.toLowerCase()] = { value: kv[2]!.trim(), line: i + 1 };
  }
  for (const s of sections.filter((x) => x.name === 'OUTPUT')) {
    const name = (s.keys.name?.value ?? '').toLowerCase();
    if (!name) {
      out.errors.push({ line: s.line, message: '[OUTPUT] without Name' });
      continue;
    }
    if (FLUENT_LOCAL_OUTPUTS.has(name)) continue;
    if (FLUENT_CLOUD_OUTPUTS.has(name) && !s.keys.host) {
      out.destinations.push({
        host: `${name} (cloud service)`,
        port: null,
        protocol: 'https',
        via: `[OUTPUT] Name ${name}`,
        line: s.keys.name?.line ?? s.line,
        cloud: true,
      });
      continue;
    }
    const host = s.keys.host ?? s.keys.addr;
    const port = s.keys.port?.value;
    const d = dest(
      host ? (port && !/:\d+$/.test(host.value) ? `${host.value}:${port}` : host.value) : '127.0.0.1',
      host ? `[OUTPUT] ${name} Host` : `[OUTPUT] ${name} (no Host: default 127.0.0.1)`,
      host?.line ?? s.line,
      name,
    );
    if (d) out.destinations.push(d);
  }
  return out;
}

const VECTOR_LOCAL_SINKS = new Set(['console', 'file', 'blackhole', 'prometheus_exporter', 'unit', 'unit_test', 'websocket_server']);

function vectorSink(id: string, type: string, opts: Record<string, { value: string[]; line: number | null }>, out: ShipperParse): void {
  if (VECTOR_LOCAL_SINKS.has(type)) return;
  let found = false;
  for (const key of ['address', 'endpoint', 'endpoints', 'uri', 'hosts', 'bootstrap_servers']) {
    const o = opts[key];
    if (!o) continue;
    for (const v of o.value.flatMap((x) => x.split(','))) {
      const d = dest(v, `sinks.${id}.${key}`, o.line, type);
      if (d) {
        out.destinations.push(d);
        found = true;
      }
    }
  }
  if (!found && /^(?:aws_|gcp_|azure_|datadog_|new_relic|honeycomb|axiom|appsignal|mezmo|logdna|sematext|splunk_hec)/.test(type)) {
    out.destinations.push({
      host: `${type} (cloud service)`,
      port: null,
      protocol: 'https',
      via: `sinks.${id}.type`,
      line: opts.type?.line ?? null,
      cloud: true,
    });
  }
}

/** Vector YAML (vector.yaml): `sinks.<id>` with type and address/endpoint(s)/uri. */
export function parseVectorYaml(text: string): ShipperParse {
  const out = empty();
  const { doc, lineOf, errors } = yamlDoc(text);
  out.errors.push(...errors);
  const sinks = doc.get('sinks', true);
  if (!isMap(sinks)) return out;
  for (const pair of sinks.items) {
    const id = isScalar(pair.key) ? String(pair.key.value) : '?';
    const opts: Record<string, { value: string[]; line: number | null }> = {};
    if (!isMap(pair.value)) continue;
    for (const p of pair.value.items) {
      const k = isScalar(p.key) ? String(p.key.value) : null;
      if (!k) continue;
      const v = p.value as Node | null;
      if (isScalar(v)) opts[k] = { value: [String(v.value)], line: lineOf(v) };
      else if (isSeq(v)) opts[k] = { value: v.items.filter(isScalar).map((s) => String(s.value)), line: lineOf(v) };
    }
    vectorSink(id, opts.type?.value[0] ?? '', opts, out);
  }
  return out;
}

/** Vector TOML (vector.toml): `[sinks.<id>]` tables with `key = "value"` / `key = ["a", "b"]`. */
export function parseVectorToml(text: string): ShipperParse {
  const out = empty();
  type Sink = { id: string; opts: Record<string, { value: string[]; line: number | null }> };
  let sink: Sink | null = null;
  const sinks: Sink[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const t = raw.replace(/\s+#.*$/, '').trim();
    if (t === '' || t.startsWith('#')) continue;
    const table = /^\[([^\]]+)\]$/.exec(t);
    if (table) {
      const m = /^sinks\.([\w-]+)$/.exec(table[1]!.trim());
      sink = m ? { id: m[1]!, opts: {} } : null;
      if (sink) sinks.push(sink);
      continue;
    }
    const kv = /^([\w.-]+)\s*=\s*(.+)$/.exec(t);
    if (!kv) {
      out.errors.push({ line: i + 1, message: `not a TOML key = value line: ${JSON.stringify(t.slice(0, 80))}` });
      continue;
    }
    if (!sink) continue;
    const values = [...kv[2]!.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((m) => m[1] ?? m[2] ?? '');
    sink.opts[kv[1]!] = { value: values, line: i + 1 };
  }
  for (const s of sinks) vectorSink(s.id, s.opts.type?.value[0] ?? '', s.opts, out);
  return out;
}

/** systemd-journal-upload: `[Upload] URL=` (journal-upload.conf(5); default port 19532). */
export function parseJournalUpload(text: string): ShipperParse & { url: { line: number } | null } {
  const out = empty();
  let section: string | null = null;
  let url: { value: string; line: number } | null = null;
  for (const [i, raw] of text.split('\n').entries()) {
    const t = raw.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const sec = /^\[([^\]]+)\]$/.exec(t);
    if (sec) {
      section = sec[1]!;
      continue;
    }
    const m = /^URL\s*=\s*(.*)$/.exec(t);
    if (section === 'Upload' && m) url = m[1]!.trim() ? { value: m[1]!.trim(), line: i + 1 } : null;
  }
  if (url) {
    const d = dest(url.value, 'URL=', url.line, 'https');
    if (d) out.destinations.push({ ...d, port: d.port ?? 19532 });
    else out.errors.push({ line: url.line, message: 'URL= is not a URL' });
  }
  return { ...out, url: url ? { line: url.line } : null };
}
