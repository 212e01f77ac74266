/**
 * Output of the fail2ban client: `fail2ban-client -d` prints the configuration stream it would send
 * to the server, one Python list literal per line (['set', 'sshd', 'maxretry', 5]); log lines
 * (timestamped) are not part of it. `fail2ban-client status JAIL` prints a small tree.
 */
import { literalEval, type PyValue as Literal } from '../../util/py-literal.js';

/** The values the client's stream holds: str, int, float, True/False/None and lists (no dicts). */
export type PyValue = string | number | boolean | null | PyValue[];

function isStreamValue(v: Literal): v is PyValue {
  return v === null || typeof v !== 'object' || (Array.isArray(v) && v.every(isStreamValue));
}

/** One Python literal as the client prints it (repr of lists, str, int, float, True/False/None), read with ast.literal_eval's grammar. Null when it is none (or holds a dict). */
export function parsePyLiteral(src: string): PyValue | null {
  const v = literalEval(src);
  return v !== undefined && isStreamValue(v) ? v : null;
}

export interface DumpJail {
  name: string;
  backend: string;
  options: Record<string, PyValue>;
  logpaths: string[];
  journalmatch: string[];
  /** Per action: its name and its `port` (and other scalar init values). */
  actions: { name: string; port: string | null }[];
  started: boolean;
}

export interface Dump {
  global: Record<string, PyValue>;
  jails: Record<string, DumpJail>;
  /** Jails the client skips: ['config-error', "Jail 'X' skipped, because of wrong configuration: why"]. */
  configErrors: Record<string, string>;
  /** Lines that are neither a list literal nor a log line. */
  unparsed: number;
}

const CONFIG_ERROR = /^Jail '(.+)' skipped, because of wrong configuration: (.*)$/s;

const LOG_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;

export function parseFail2banDump(text: string): Dump {
  const dump: Dump = { global: {}, jails: {}, configErrors: {}, unparsed: 0 };
  for (const line of text.split('\n')) {
    if (!line.trim() || LOG_LINE.test(line)) continue;
    const v = line.startsWith('[') ? parsePyLiteral(line) : null;
    if (!Array.isArray(v) || typeof v[0] !== 'string') {
      dump.unparsed++;
      continue;
    }
    const [cmd, a, b, ...rest] = v;
    if (cmd === 'config-error' && typeof a === 'string') {
      const m = CONFIG_ERROR.exec(a);
      if (m) dump.configErrors[m[1]!] = m[2]!;
      continue;
    }
    if (cmd === 'add' && typeof a === 'string') {
      dump.jails[a] = {
        name: a,
        backend: typeof b === 'string' ? b : 'auto',
        options: {},
        logpaths: [],
        journalmatch: [],
        actions: [],
        started: false,
      };
      continue;
    }
    if (cmd === 'start' && typeof a === 'string') {
      if (dump.jails[a]) dump.jails[a].started = true;
      continue;
    }
    if (cmd === 'set' && typeof a === 'string' && !dump.jails[a]) {
      if (b !== undefined) dump.global[a] = b;
      continue;
    }
    const jail = typeof a === 'string' ? dump.jails[a] : undefined;
    if (!jail || typeof b !== 'string') continue;
    if (cmd === 'set' && b === 'addlogpath' && typeof rest[0] === 'string') jail.logpaths.push(rest[0]);
    else if (cmd === 'set' && b === 'addjournalmatch') jail.journalmatch.push(rest.map(String).join(' '));
    else if (cmd === 'set' && b === 'addaction' && typeof rest[0] === 'string') jail.actions.push({ name: rest[0], port: null });
    else if (cmd === 'multi-set' && b === 'action' && typeof rest[0] === 'string' && Array.isArray(rest[1])) {
      const act = jail.actions.find((x) => x.name === rest[0]);
      for (const kv of rest[1]) if (Array.isArray(kv) && kv[0] === 'port' && act) act.port = String(kv[1]);
    } else if (cmd === 'set' && rest.length === 1 && rest[0] !== undefined) jail.options[b] = rest[0];
  }
  return dump;
}

export interface JailStatus {
  currentlyFailed: number | null;
  totalFailed: number | null;
  currentlyBanned: number | null;
  totalBanned: number | null;
  fileList: string[];
  journalMatches: string | null;
}

/** `fail2ban-client status JAIL`; banned addresses are not kept. */
export function parseJailStatus(text: string): JailStatus | null {
  if (!/Status for the jail:/.test(text)) return null;
  const field = (label: string): string | null => {
    const m = new RegExp(`${label}:[ \\t]*(.*)$`, 'm').exec(text);
    return m ? m[1]!.trim() : null;
  };
  const num = (label: string) => {
    const v = field(label);
    return v !== null && /^\d+$/.test(v) ? Number(v) : null;
  };
  const files = field('File list');
  return {
    currentlyFailed: num('Currently failed'),
    totalFailed: num('Total failed'),
    currentlyBanned: num('Currently banned'),
    totalBanned: num('Total banned'),
    fileList: files ? files.split(/\s+/).filter(Boolean) : [],
    journalMatches: field('Journal matches'),
  };
}
