import { createHmac, randomBytes } from 'node:crypto';
import { describeSource, type Source } from '../facts/evidence.js';
import type { FactsSnapshot } from '../facts/index.js';

/**
 * `rampart fleet drift` (issue 11): hosts grouped by the effective value of each setting, with the
 * file:line that set it. Pure over the hosts' snapshots.
 *
 * A setting is any `{ value, source }` pair the collectors record (sshd's effective configuration and
 * Match overrides, fail2ban jail values, redis and postgres settings, ufw defaults, sysctl…), plus every
 * `version` string (OpenSSH, packages, redis, postgres) with its object's source. Its key is the path in
 * the snapshot's facts, array elements named by their name/jail/label/path (`sshd.effective.passwordauthentication`,
 * `fail2ban.jails[sshd].maxretry.value` becomes `fail2ban.jails[sshd].maxretry`). A value under a
 * secret-looking key (password, secret, token, credential) is never shown: it is replaced by an HMAC
 * under a key of this run, so equal secrets still group together.
 */

export interface SettingValue {
  /** The value as printed (arrays joined by spaces); null: the host does not have this setting. */
  value: string | null;
  /** file:line (or command / default note) that set it. */
  source: string | null;
}

export interface DriftGroup {
  value: string | null;
  /** Distinct sources of this value, with how many hosts each. */
  sources: { source: string | null; hosts: number }[];
  hosts: string[];
}

export interface DriftSetting {
  key: string;
  /** Largest group first; then by value. */
  groups: DriftGroup[];
  /** With --golden: the golden host's value. */
  golden?: string | null;
}

export interface DriftReport {
  hosts: string[];
  /** Hosts whose facts were not usable (not assessed), with why. */
  notAssessed: { name: string; reason: string }[];
  golden: string | null;
  /** Settings compared in all. */
  settings: number;
  /** Settings where the hosts differ (or differ from the golden host). */
  drift: DriftSetting[];
}

export interface DriftOptions {
  /** Compare every host with this one: only settings where a host differs from it are kept. */
  golden?: string | undefined;
  /** Keep the settings on which every host agrees too. */
  all?: boolean | undefined;
  /** Key of the secret HMAC (tests fix it; else random per call). */
  secretKey?: Buffer | undefined;
  notAssessed?: { name: string; reason: string }[] | undefined;
}

const SECRET_KEY = /(^|[_-])(pass(word|wd|phrase)?|secret|token|credentials?|key)$|^(requirepass|masterauth|masteruser)$/i;
const NAME_FIELDS = ['name', 'jail', 'label', 'id', 'keyword', 'path', 'file', 'key'] as const;
/** Fact families whose contents are per-host by nature (identity, listings of state), not settings. */
const SKIP_FACTS = new Set(['attestations', 'signoffs', 'host']);
const MAX_DEPTH = 12;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isSource(v: unknown): v is Source {
  return isObj(v) && ['path', 'command', 'note'].some((k) => typeof v[k] === 'string');
}

function show(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.map(String).join(' ');
  return JSON.stringify(v);
}

function elementName(v: unknown, i: number): string {
  if (isObj(v)) for (const f of NAME_FIELDS) if (typeof v[f] === 'string' && v[f] !== '') return v[f];
  return String(i);
}

/** One host's settings: key → value and source. */
export function settingsOf(snapshot: FactsSnapshot, secretKey: Buffer): Map<string, SettingValue> {
  const out = new Map<string, SettingValue>();
  const put = (key: string, value: unknown, source: unknown) => {
    let text = show(value);
    if (SECRET_KEY.test(key.slice(key.lastIndexOf('.') + 1)) && typeof value !== 'boolean' && value !== null && text !== '')
      text = `(secret, hmac ${createHmac('sha256', secretKey).update(text).digest('hex').slice(0, 12)})`;
    if (!out.has(key)) out.set(key, { value: text, source: isSource(source) ? describeSource(source) : null });
  };
  const walk = (v: unknown, key: string, depth: number) => {
    if (depth > MAX_DEPTH) return;
    if (Array.isArray(v)) {
      const seen = new Map<string, number>();
      v.forEach((e, i) => {
        let n = elementName(e, i);
        const c = seen.get(n) ?? 0;
        seen.set(n, c + 1);
        if (c > 0) n = `${n}#${c + 1}`;
        walk(e, `${key}[${n}]`, depth + 1);
      });
      return;
    }
    if (!isObj(v)) return;
    if ('value' in v && isSource(v.source)) {
      put(key, v.value, v.source);
      return;
    }
    for (const [k, child] of Object.entries(v)) {
      if (k === 'source' || k === 'versionSource') continue;
      if (k === 'version' && typeof child === 'string') put(`${key}.version`, child, v.versionSource ?? v.source);
      else walk(child, `${key}.${k}`, depth + 1);
    }
  };
  for (const [fact, f] of Object.entries(snapshot.facts)) {
    if (SKIP_FACTS.has(fact) || !f || f.state !== 'collected') continue;
    walk(f.value, fact, 0);
  }
  return out;
}

function groupsOf(hosts: readonly string[], per: ReadonlyMap<string, Map<string, SettingValue>>, key: string): DriftGroup[] {
  const byValue = new Map<string, { value: string | null; hosts: string[]; sources: Map<string, number> }>();
  for (const h of hosts) {
    const s = per.get(h)!.get(key) ?? { value: null, source: null };
    const gk = s.value === null ? '\0absent' : `=${s.value}`;
    let g = byValue.get(gk);
    if (!g) byValue.set(gk, (g = { value: s.value, hosts: [], sources: new Map() }));
    g.hosts.push(h);
    const sk = s.source ?? '\0';
    g.sources.set(sk, (g.sources.get(sk) ?? 0) + 1);
  }
  return [...byValue.values()]
    .map((g) => ({
      value: g.value,
      hosts: g.hosts,
      sources: [...g.sources.entries()].map(([s, n]) => ({ source: s === '\0' ? null : s, hosts: n })).sort((a, b) => b.hosts - a.hosts),
    }))
    .sort((a, b) => b.hosts.length - a.hosts.length || String(a.value).localeCompare(String(b.value)));
}

/** The drift of a fleet: Map<host, snapshot> → the settings on which the hosts differ. */
export function computeDrift(snapshots: ReadonlyMap<string, FactsSnapshot>, opts: DriftOptions = {}): DriftReport {
  const secretKey = opts.secretKey ?? randomBytes(32);
  const hosts = [...snapshots.keys()].sort();
  if (opts.golden !== undefined && !snapshots.has(opts.golden))
    throw new Error(`--golden ${opts.golden}: no such assessed host (hosts: ${hosts.join(', ') || 'none'})`);
  const per = new Map<string, Map<string, SettingValue>>();
  const keys = new Set<string>();
  for (const h of hosts) {
    const s = settingsOf(snapshots.get(h)!, secretKey);
    per.set(h, s);
    for (const k of s.keys()) keys.add(k);
  }
  const drift: DriftSetting[] = [];
  for (const key of [...keys].sort()) {
    const groups = groupsOf(hosts, per, key);
    if (opts.golden !== undefined) {
      const gv = per.get(opts.golden)!.get(key)?.value ?? null;
      if (!opts.all && groups.length < 2) continue;
      drift.push({ key, groups, golden: gv });
    } else if (opts.all || groups.length > 1) drift.push({ key, groups });
  }
  return { hosts, notAssessed: opts.notAssessed ?? [], golden: opts.golden ?? null, settings: keys.size, drift };
}

function srcText(g: DriftGroup): string {
  const s = g.sources.map((x) => (x.source === null ? '' : x.source)).filter(Boolean);
  return s.length ? ` (${s.slice(0, 3).join(', ')}${s.length > 3 ? `, +${s.length - 3} more` : ''})` : '';
}

function hostList(h: readonly string[]): string {
  return h.length > 20 ? `${h.slice(0, 20).join(', ')}, +${h.length - 20} more` : h.join(', ');
}

/** "key: 18 hosts no (file:2), 2 hosts yes (file:1): web07, web12", one line per setting. */
export function renderDriftText(r: DriftReport): string {
  const out: string[] = [];
  out.push(
    `${r.hosts.length} hosts, ${r.settings} settings compared, ${r.drift.length} ${r.golden ? `differ from ${r.golden}` : 'differ'}`,
  );
  for (const n of r.notAssessed) out.push(`  ${n.name}: NOT ASSESSED: ${n.reason}`);
  for (const d of r.drift) {
    const parts = d.groups.map((g, i) => {
      const v = g.value === null ? '(not set)' : g.value === '' ? '""' : g.value;
      const n = `${g.hosts.length} host${g.hosts.length === 1 ? '' : 's'}`;
      const showHosts = r.golden !== null ? g.value !== d.golden : i > 0 || d.groups.length === 1;
      return `${n} ${v}${srcText(g)}${showHosts ? `: ${hostList(g.hosts)}` : ''}`;
    });
    const golden = r.golden !== null ? ` [golden ${r.golden}: ${d.golden ?? '(not set)'}]` : '';
    out.push(`${d.key}${golden}: ${parts.join('; ')}`);
  }
  return `${out.join('\n')}\n`;
}
