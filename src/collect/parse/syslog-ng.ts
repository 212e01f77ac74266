/**
 * syslog-ng.conf(5), enough to tell where messages go: `destination NAME { network("host"
 * port(N) transport("tcp")); syslog(…); tcp(…); udp(…); };` used by a `log { … destination(NAME);
 * };` path, and `@include` lines.
 */
import { closingBracket } from './brackets.js';

export interface SyslogNgForward {
  destination: string;
  host: string;
  port: number | null;
  protocol: string;
  driver: string;
  line: number;
  text: string;
  /** A log path sends to this destination. */
  used: boolean;
}

export interface SyslogNgConf {
  path: string;
  forwards: SyslogNgForward[];
  includes: { pattern: string; line: number }[];
  /** file("…") destinations. */
  files: { destination: string; file: string; line: number; text: string }[];
  /** Destination names referenced by log paths. */
  usedDestinations: string[];
  errors: { line: number; message: string }[];
}

const NETWORK_DRIVERS = new Set(['network', 'syslog', 'tcp', 'udp', 'tcp6', 'udp6']);

export function parseSyslogNgConf(text: string, path: string): SyslogNgConf {
  const clean = text.replace(/("(?:[^"\\]|\\.)*")|#[^\n]*/g, (m, q: string | undefined) => q ?? ' '.repeat(m.length));
  const raw = text.split('\n');
  const lineAt = (o: number) => clean.slice(0, o).split('\n').length;
  const forwards: SyslogNgForward[] = [];
  const includes: SyslogNgConf['includes'] = [];
  const errors: SyslogNgConf['errors'] = [];
  const files: SyslogNgConf['files'] = [];
  const used = new Set<string>();
  for (const m of clean.matchAll(/^\s*@include\s+"([^"]+)"/gm)) includes.push({ pattern: m[1]!, line: lineAt(m.index) });
  for (const m of clean.matchAll(/\blog\s*\{/g)) {
    const end = closingBracket(clean, m.index + m[0].length - 1);
    const body = clean.slice(m.index, end === -1 ? clean.length : end);
    for (const d of body.matchAll(/\bdestination\s*\(\s*"?([\w-]+)"?\s*\)/g)) used.add(d[1]!);
  }
  for (const m of clean.matchAll(/\bdestination\s+([\w-]+)\s*\{/g)) {
    const open = m.index + m[0].length - 1;
    const end = closingBracket(clean, open);
    if (end === -1) {
      errors.push({ line: lineAt(m.index), message: `destination ${m[1]!} has no closing "}"` });
      continue;
    }
    const body = clean.slice(open + 1, end);
    for (const f of body.matchAll(/\bfile\s*\(\s*"([^"]+)"/g)) {
      const line = lineAt(open + 1 + f.index);
      files.push({ destination: m[1]!, file: f[1]!, line, text: (raw[line - 1] ?? '').trim().slice(0, 200) });
    }
    for (const d of body.matchAll(/\b(network|syslog|tcp6?|udp6?)\s*\(\s*(?:"([^"]*)"|([\w.:-]+))/g)) {
      if (!NETWORK_DRIVERS.has(d[1]!)) continue;
      const at = open + 1 + d.index;
      const rest = body.slice(d.index);
      const port = /\bport\s*\(\s*(\d+)\s*\)/.exec(rest.slice(0, 400));
      const transport = /\btransport\s*\(\s*"?([\w-]+)"?\s*\)/.exec(rest.slice(0, 400));
      const driver = d[1]!;
      const protocol =
        transport?.[1] ?? (driver.startsWith('udp') ? 'udp' : driver === 'network' ? 'tcp' : driver === 'syslog' ? 'tcp' : 'tcp');
      const line = lineAt(at);
      forwards.push({
        destination: m[1]!,
        host: (d[2] ?? d[3] ?? '').toLowerCase(),
        port: port ? Number(port[1]) : null,
        protocol,
        driver,
        line,
        text: (raw[line - 1] ?? '').trim().slice(0, 200),
        used: false,
      });
    }
  }
  for (const f of forwards) f.used = used.has(f.destination);
  return { path, forwards, files, includes, usedDestinations: [...used], errors };
}
