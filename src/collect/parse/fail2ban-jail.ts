/**
 * The effective options of one jail from the merged configuration, converted as fail2ban does:
 * JailReader (client/jailreader.py) with its defaults (enabled false, backend auto), int() for
 * maxretry (a bad value is ignored and the server default used), MyTime.str2seconds for times on
 * the server, whose defaults are maxretry 3, findtime 600, bantime 600 (server/failmanager.py,
 * server/filter.py, server/banmanager.py).
 */
import type { F2bOption, F2bPortSpec, F2bSshdJail } from '../../facts/fail2ban.js';
import type { Source } from '../../facts/evidence.js';
import { getOption, type MergedConfig } from './fail2ban-config.js';
import type { IniOption } from './fail2ban-ini.js';
import { parsePortSpec } from './fail2ban-ports.js';
import { str2seconds } from './fail2ban-time.js';

export const SERVER_DEFAULTS = { maxretry: 3, findtime: 600, bantime: 600 } as const;
const DEFAULT_NOTE = 'fail2ban 1.0 built-in default';

export type JailOptions = Omit<F2bSshdJail, 'logFiles' | 'disagreements'>;

const srcOf = (o: IniOption): Source => ({ path: o.path, line: o.line, excerpt: `${o.value.split('\n')[0]}` });

function opt<T>(
  cfg: MergedConfig,
  jail: string,
  name: string,
  dflt: { value: T | null; text: string },
  convert: (text: string) => { value: T | null; error: string | null },
): F2bOption<T> & { fatal?: string } {
  const r = getOption(cfg, jail, name);
  if (r === null)
    return {
      value: dflt.value,
      text: dflt.text,
      source: { note: `${name} not set: ${DEFAULT_NOTE} ${JSON.stringify(dflt.text)}` },
      refs: [],
      error: null,
    };
  if (!r.ok) {
    const source = r.source ? srcOf(r.source) : { note: name };
    return { value: null, text: r.source?.value ?? '', source, refs: [], error: r.error, fatal: r.error };
  }
  const c = convert(r.value);
  return { value: c.value, text: r.value, source: srcOf(r.source), refs: r.refs.map(srcOf), error: c.error };
}

const asBool = (t: string) => ({ value: ['1', 'on', 'true', 'yes'].includes(t.toLowerCase()), error: null });

function asTime(name: string) {
  return (t: string) => {
    const r = str2seconds(t);
    return r.ok
      ? { value: r.seconds, error: null }
      : { value: null, error: `${name} ${r.error}: fail2ban-server refuses it, so the start fails (NOK, exit 255)` };
  };
}

/**
 * The name fail2ban gives an action (client/actionreader.py): its actname=, else the file name, with
 * the name= parameter appended when it is not the jail's (`iptables-allports[name=ssh]` in [sshd]
 * is "iptables-allports-ssh"); a Python action is its file name without .py.
 */
export function actionName(a: { name: string; params: Record<string, string> }, jail: string): string {
  if (a.params.actname !== undefined) return a.params.actname;
  if (a.name.endsWith('.py')) return a.name.slice(0, -3);
  const n = a.params.name;
  if (n === undefined || n === jail) return a.name;
  return a.name + (n.startsWith(jail) ? n.slice(jail.length) : `-${n}`);
}

/** One action line of `action`: `name[key="value", ...]`. */
export function parseActionLine(line: string): { name: string; params: Record<string, string> } | null {
  const m = /^\s*([^[\s]+)\s*(?:\[(.*)\])?\s*$/s.exec(line);
  if (!m) return null;
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? '').matchAll(/([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^,]*))/g)) {
    params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? p[4] ?? '').trim();
  }
  return { name: m[1]!, params };
}

/**
 * `firstAction`: the first ban action when it has no port= parameter: fail2ban does not pass the
 * jail's port to it, the action's own [Init] port applies (the collector reads it).
 */
export function resolveJail(
  cfg: MergedConfig,
  jail: string,
  services: Record<string, number>,
): { options: JailOptions; fatal: string | null; firstAction: string | null } | null {
  const line = cfg.sectionLines[jail];
  if (!line || !cfg.sections[jail]) return null;
  const fatals: string[] = [];
  const take = <T>(o: F2bOption<T> & { fatal?: string }): F2bOption<T> => {
    if (o.fatal) fatals.push(o.fatal);
    const { fatal: _f, ...rest } = o;
    return rest;
  };
  const enabled = take(opt(cfg, jail, 'enabled', { value: false, text: 'false' }, asBool));
  const maxretry = take(
    opt(cfg, jail, 'maxretry', { value: SERVER_DEFAULTS.maxretry, text: String(SERVER_DEFAULTS.maxretry) }, (t) =>
      /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(t)
        ? { value: Number(t.replace(/_/g, '')), error: null }
        : {
            value: null,
            error: `maxretry ${JSON.stringify(t)} is not an integer: fail2ban-client sends None ("Wrong value for 'maxretry'") and fail2ban-server refuses it, so the start fails (NOK, exit 255)`,
          },
    ),
  );
  const bantime = take(
    opt(cfg, jail, 'bantime', { value: SERVER_DEFAULTS.bantime, text: String(SERVER_DEFAULTS.bantime) }, asTime('bantime')),
  );
  const findtime = take(
    opt(cfg, jail, 'findtime', { value: SERVER_DEFAULTS.findtime, text: String(SERVER_DEFAULTS.findtime) }, asTime('findtime')),
  );
  const backend = take(opt(cfg, jail, 'backend', { value: 'auto', text: 'auto' }, (t) => ({ value: t.trim(), error: null })));
  const logpath = take(
    opt<string[]>(cfg, jail, 'logpath', { value: [], text: '' }, (t) => ({
      value: t
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean),
      error: null,
    })),
  );
  const actions = take(
    opt<string[]>(cfg, jail, 'action', { value: [], text: '' }, (t) => ({
      value: t
        .split('\n')
        .map(parseActionLine)
        .filter((a) => a !== null)
        .map((a) => actionName(a, jail)),
      error: null,
    })),
  );
  // The ban action's port= parameter decides what is blocked; without one, the jail's port.
  const jailPort = take(
    opt<F2bPortSpec>(cfg, jail, 'port', { value: null, text: '' }, (t) => ({ value: parsePortSpec(t, services), error: null })),
  );
  let port = jailPort;
  let firstAction: string | null = null;
  let portFromAction = false;
  const first = getOption(cfg, jail, 'action');
  if (first?.ok) {
    const act = parseActionLine(first.value.split('\n').find((l) => l.trim()) ?? '');
    firstAction = act?.name ?? null;
    const p = act?.params.port;
    if (act && p !== undefined) {
      port = { ...jailPort, value: parsePortSpec(p, services), text: p };
      portFromAction = true;
    }
  }
  return {
    options: {
      section: { path: line.path, line: line.line, excerpt: `[${jail}]` },
      enabled,
      maxretry,
      bantime,
      findtime,
      port,
      actions,
      backend,
      logpath,
    },
    fatal: fatals[0] ?? null,
    firstAction: portFromAction ? null : firstAction,
  };
}

/** fail2ban's JailReader options (client/jailreader.py _configOpts with FilterReader's): all are read, and interpolated, for an enabled jail. */
export const JAIL_OPTIONS = [
  'enabled',
  'backend',
  'maxretry',
  'maxmatches',
  'findtime',
  'bantime',
  'bantime.increment',
  'bantime.factor',
  'bantime.formula',
  'bantime.multipliers',
  'bantime.maxtime',
  'bantime.rndtime',
  'bantime.overalljails',
  'ignorecommand',
  'ignoreself',
  'ignoreip',
  'ignorecache',
  'filter',
  'logtimezone',
  'logencoding',
  'logpath',
  'action',
  'usedns',
  'prefregex',
  'ignoreregex',
  'failregex',
  'maxlines',
  'datepattern',
  'journalmatch',
] as const;
/** Read first, for every jail, enabled or not (_configOpts1st). */
export const JAIL_OPTIONS_1ST = ['enabled', 'backend', 'filter'] as const;
export const INT_OPTIONS = ['maxretry', 'maxmatches', 'maxlines'] as const;

const OPTION_CRE = /^([^[]+)(?:\[(.*)\])?\s*$/s;
const OPTION_EXTRACT_CRE = /\s*([\w\-_.]+)=(?:"([^"]*)"|'([^']*)'|([^,\]]*))(?:,|\]\s*\[|$|(?<wrngA>.+))|,?\s*$|(?<wrngB>.+)/gs;

/** fail2ban.helpers.extractOptions: `name[k=v, ...]`, an error where fail2ban raises ValueError. */
export function extractOptions(option: string): { ok: true; name: string; params: Record<string, string> } | { ok: false; error: string } {
  const m = OPTION_CRE.exec(option);
  if (!m) return { ok: false, error: 'unexpected option syntax' };
  const params: Record<string, string> = {};
  for (const x of (m[2] ?? '').matchAll(OPTION_EXTRACT_CRE)) {
    if (x.groups?.wrngA)
      return { ok: false, error: `unexpected syntax after option ${JSON.stringify(x[1])}: ${x.groups.wrngA.slice(0, 25)}` };
    if (x.groups?.wrngB) return { ok: false, error: `expected option, wrong syntax: ${x.groups.wrngB.slice(0, 25)}` };
    if (x[1]) params[x[1]] = x[2] ?? x[3] ?? x[4] ?? '';
    if (x[0] === '') break;
  }
  return { ok: true, name: m[1]!, params };
}

const OPTION_SPLIT_CRE = /(?:[^[\s]+(?:\s*\[\s*(?:[\w\-_.]+=(?:"[^"]*"|'[^']*'|[^,\]]*)\s*(?:,|\]\s*\[)?\s*)*\])?\s*|\S+)(?=\n\s*|\s+|$)/gs;

/** fail2ban.helpers.splitWithOptions: the action list, one action per entry. */
export function splitWithOptions(option: string): string[] {
  return [...option.matchAll(OPTION_SPLIT_CRE)].map((m) => m[0]);
}

/** logpath entries as JailReader.convert splits them: "path [head|tail]". */
export function logpathGlob(entry: string): string {
  const i = entry.lastIndexOf(' ');
  return i === -1 ? entry : entry.slice(0, i);
}
