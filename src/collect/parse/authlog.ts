/**
 * Failed SSH logins from the authentication log: syslog files (RFC 3339 timestamps, Debian 12
 * rsyslog's default, or traditional "Nov 28 09:15:02" without a year) and `journalctl -o json`.
 * sshd writes "Failed password for [invalid user ]U from A port P ssh2" for each failed attempt and
 * "Invalid user U from A port P" when the user does not exist. Only counts by hour, address, user
 * and kind are kept: never the rest of the line.
 */
export type FailedLoginKind = 'failed-auth' | 'invalid-user';

export interface FailedLoginBucket {
  /** Start of the hour (UTC, ISO 8601). */
  hour: string;
  address: string | null;
  user: string;
  kind: FailedLoginKind;
  count: number;
}

export interface AuthLogScan {
  buckets: FailedLoginBucket[];
  /** Lines from sshd that were read. */
  sshdLines: number;
  /** Failure lines whose time could not be read (not counted). */
  undated: number;
  errors: string[];
}

const FAILED = /\bFailed (?:password|publickey|keyboard-interactive\/pam|none|hostbased) for (invalid user )?(.*?) from (\S+) port \d+/;
const INVALID = /\bInvalid user (.*?) from (\S+)(?: port \d+)?\s*$/;
const REPEATED = /message repeated (\d+) times: \[\s*(.*)\]\s*$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MAX_USER = 64;

const cleanUser = (u: string) =>
  [...u]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? '?' : c))
    .join('')
    .slice(0, MAX_USER);

/** The failure in one sshd message, or null. */
export function matchFailure(message: string): { kind: FailedLoginKind; user: string; address: string | null; times: number } | null {
  let msg = message;
  let times = 1;
  const rep = REPEATED.exec(msg);
  if (rep) {
    times = Number(rep[1]);
    msg = rep[2]!;
  }
  const f = FAILED.exec(msg);
  if (f) return { kind: 'failed-auth', user: cleanUser(f[2]!), address: f[3]!, times };
  const i = INVALID.exec(msg);
  if (i) return { kind: 'invalid-user', user: cleanUser(i[1]!), address: i[2]!, times };
  return null;
}

class Aggregator {
  private map = new Map<string, FailedLoginBucket>();
  add(at: Date, f: { kind: FailedLoginKind; user: string; address: string | null; times: number }): void {
    const hour = new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000).toISOString();
    const key = JSON.stringify([hour, f.address, f.user, f.kind]);
    const b = this.map.get(key);
    if (b) b.count += f.times;
    else this.map.set(key, { hour, address: f.address, user: f.user, kind: f.kind, count: f.times });
  }
  buckets(): FailedLoginBucket[] {
    return [...this.map.values()].sort((a, b) => a.hour.localeCompare(b.hour) || b.count - a.count);
  }
}

/** Time of a syslog line: RFC 3339, or "Mmm dd hh:mm:ss" in the year that puts it at or before `reference` (+1 day). */
function lineTime(line: string, reference: Date): { at: Date; rest: string } | null {
  const iso = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d))\s+(.*)$/.exec(line);
  if (iso) {
    const at = new Date(iso[1]!);
    return Number.isNaN(at.getTime()) ? null : { at, rest: iso[2]! };
  }
  const trad = /^([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d\d):(\d\d):(\d\d)\s+(.*)$/.exec(line);
  if (!trad) return null;
  const month = MONTHS.indexOf(trad[1]!);
  if (month === -1) return null;
  let year = reference.getUTCFullYear();
  const make = (y: number) => new Date(Date.UTC(y, month, Number(trad[2]), Number(trad[3]), Number(trad[4]), Number(trad[5])));
  if (make(year).getTime() > reference.getTime() + 86_400_000) year -= 1;
  return { at: make(year), rest: trad[6]! };
}

/** A syslog-format auth log. `reference`: the file's modification time (the year of traditional timestamps). */
export function parseAuthLog(text: string, reference: Date): AuthLogScan {
  const agg = new Aggregator();
  let sshdLines = 0;
  let undated = 0;
  for (const line of text.split('\n')) {
    const m = /\bsshd(?:-session)?\[\d+\]:\s(.*)$/.exec(line);
    if (!m) continue;
    sshdLines++;
    const f = matchFailure(m[1]!);
    if (!f) continue;
    const t = lineTime(line, reference);
    if (!t) {
      undated++;
      continue;
    }
    agg.add(t.at, f);
  }
  return { buckets: agg.buckets(), sshdLines, undated, errors: [] };
}

function journalMessage(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((b) => typeof b === 'number')) return Buffer.from(v).toString('utf8');
  return null;
}

/** `journalctl -o json` output: one JSON object per line. */
export function parseJournalJson(text: string): AuthLogScan {
  const agg = new Aggregator();
  let sshdLines = 0;
  let undated = 0;
  let bad = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      bad++;
      continue;
    }
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const msg = journalMessage(e.MESSAGE);
    if (msg === null) continue;
    sshdLines++;
    const f = matchFailure(msg);
    if (!f) continue;
    const ts = typeof e.__REALTIME_TIMESTAMP === 'string' ? Number(e.__REALTIME_TIMESTAMP) : NaN;
    if (!Number.isFinite(ts)) {
      undated++;
      continue;
    }
    agg.add(new Date(Math.floor(ts / 1000)), f);
  }
  return { buckets: agg.buckets(), sshdLines, undated, errors: bad > 0 ? [`${bad} line(s) are not JSON`] : [] };
}
