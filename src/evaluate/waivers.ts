import type { Check } from '../checks/define.js';
import type { Verdict } from '../checks/verdict.js';
import type { Waiver } from '../config/schema.js';
import type { Finding } from '../facts/evidence.js';
import { componentMatcher } from '../util/glob.js';
import { withResults } from './engine.js';
import type { AppliedWaiver, Report, Result } from './report.js';

/**
 * Waivers (README, Waivers). Pure: time is the evaluation's `now` (snapshot collectedAt or --now).
 *
 * - `expires` is the last day the waiver holds, inclusive, in UTC: `2026-12-31` holds until
 *   2026-12-31T23:59:59.999Z.
 * - `scope.host` is a glob over the target's name; `scope.path` a glob over a finding's path (`*`, `?`,
 *   `[…]` stay within one path component, `**` spans any number); `scope.service` names a service:
 *   a finding is covered when its command, message or excerpt has a word (letters, digits, `_@.+-`)
 *   that matches the name (glob, case-insensitive), with or without a `.service` suffix.
 * - A waiver without a path or service scope covers the whole result. A scoped one covers the findings
 *   it matches: when every finding of a failing result is covered the result is `waived`; when only
 *   some are, it stays failing and the covered findings' messages start with "waived (reason): ".
 * - Only `fail` and `warn` are waived. On `pass`/`na` the waiver is reported as not needed, on
 *   `unknown`/`manual` as not applied (a note finding pointing at the waiver); the status stays.
 * - An expired waiver leaves the failure as it is, says "waiver expired on DATE" in the summary and
 *   a finding, and sets `result.waiver.state = 'expired'`.
 */

export interface WaiverContext {
  now: Date;
  /** report.target.name, matched by `scope.host`. */
  targetName: string;
}

/** The first instant after the waiver's inclusive UTC expiry date (ms), or null for no expiry. */
export function expiryInstant(w: Pick<Waiver, 'expires'>): number | null {
  if (w.expires === undefined) return null;
  const [y, m, d] = w.expires.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d + 1);
}

export function isExpired(w: Pick<Waiver, 'expires'>, now: Date): boolean {
  const end = expiryInstant(w);
  return end !== null && now.getTime() >= end;
}

export function matchesHost(w: Waiver, targetName: string): boolean {
  return w.scope?.host === undefined || componentMatcher(w.scope.host)(targetName);
}

/** Path glob: components matched with fnmatch(3) (no `/` crossing); `**` matches zero or more components. */
export function matchPathGlob(glob: string, path: string): boolean {
  const pat = glob.split('/');
  const parts = path.split('/');
  const go = (i: number, j: number): boolean => {
    if (i === pat.length) return j === parts.length;
    const p = pat[i]!;
    if (p === '**') {
      for (let k = j; k <= parts.length; k++) if (go(i + 1, k)) return true;
      return false;
    }
    return j < parts.length && componentMatcher(p)(parts[j]!) && go(i + 1, j + 1);
  };
  return go(0, 0);
}

/** Whether a finding names the service (see the rule at the top of this file). */
export function namesService(service: string, f: Finding): boolean {
  const match = componentMatcher(service.toLowerCase());
  const text = [f.command, f.message, f.excerpt]
    .filter((s): s is string => s !== null)
    .join(' ')
    .toLowerCase();
  return text
    .split(/[^a-z0-9_@.+-]+/)
    .map((t) => t.replace(/\.+$/, ''))
    .some((t) => t !== '' && (match(t) || (t.endsWith('.service') && match(t.slice(0, -'.service'.length)))));
}

function isScoped(w: Waiver): boolean {
  return w.scope?.path !== undefined || w.scope?.service !== undefined;
}

function covers(w: Waiver, f: Finding): boolean {
  const path = w.scope?.path;
  const service = w.scope?.service;
  if (path !== undefined && (f.path === null || !matchPathGlob(path, f.path))) return false;
  return service === undefined || namesService(service, f);
}

function where(w: Waiver): string | null {
  return w.source ? `${w.source.path}:${w.source.line}` : null;
}

function applied(w: Waiver, state: AppliedWaiver['state']): AppliedWaiver {
  return { reason: w.reason, approvedBy: w.approved_by ?? null, expires: w.expires ?? null, state, source: where(w) };
}

/** A note finding that points at the waiver in the config file. */
function note(w: Waiver, message: string): Finding {
  return { message, path: w.source?.path ?? null, line: w.source?.line ?? null, command: null, excerpt: null };
}

/** The waivers configured for this requirement on this target. */
function candidates(waivers: readonly Waiver[], id: string, ctx: WaiverContext): Waiver[] {
  return waivers.filter((w) => w.id === id && matchesHost(w, ctx.targetName));
}

/** The active `run_check: false` waiver for a requirement, if any: its check is not run. */
function skipping(waivers: readonly Waiver[], id: string, ctx: WaiverContext): Waiver | undefined {
  return candidates(waivers, id, ctx).find((w) => !w.run_check && !isExpired(w, ctx.now));
}

/**
 * Replaces the checks that an active `run_check: false` waiver covers by a stub that reads no facts and
 * answers `waived` ("not run, waived"). Expired waivers let the check run.
 */
export function skipWaivedChecks(checks: readonly Check[], waivers: readonly Waiver[], ctx: WaiverContext): Check[] {
  return checks.map((check) => {
    const w = skipping(waivers, check.id, ctx);
    if (!w) return check;
    const verdict: Verdict = { status: 'waived', summary: `Not run, waived: ${w.reason}`, findings: [note(w, 'not run, waived')] };
    return { ...check, needs: [], onAbsent: {}, evaluate: () => verdict };
  });
}

/** Earliest expiry first; no expiry last. */
function byExpiry(a: Waiver, b: Waiver): number {
  return (expiryInstant(a) ?? Infinity) - (expiryInstant(b) ?? Infinity);
}

function waiveFailure(r: Result, cands: Waiver[], now: Date): Result {
  const active = cands.filter((w) => !isExpired(w, now));
  const whole = active.find((w) => !isScoped(w));
  if (whole) return { ...r, status: 'waived', waiver: applied(whole, 'active') };
  const scoped = active.filter(isScoped);
  const cover = r.findings.map((f) => scoped.find((w) => covers(w, f)));
  const used = [...new Set(cover.filter((w): w is Waiver => w !== undefined))];
  if (r.findings.length > 0 && used.length > 0 && cover.every((w) => w !== undefined)) {
    return { ...r, status: 'waived', waiver: applied(used.sort(byExpiry)[0]!, 'active') };
  }
  let out: Result = r;
  if (used.length > 0) {
    out = {
      ...out,
      summary: `${out.summary} (${cover.filter(Boolean).length} of ${r.findings.length} findings waived)`,
      findings: r.findings.map((f, i) => {
        const w = cover[i];
        return w ? { ...f, message: `waived (${w.reason}): ${f.message}` } : f;
      }),
    };
  }
  const expired = cands.filter((w) => isExpired(w, now) && (!isScoped(w) || r.findings.some((f) => covers(w, f)))).sort(byExpiry);
  const last = expired[expired.length - 1];
  if (last) {
    out = {
      ...out,
      summary: `${out.summary} (waiver expired on ${last.expires ?? '?'})`,
      findings: [...out.findings, note(last, `waiver expired on ${last.expires ?? '?'}: ${last.reason}`)],
      waiver: applied(last, 'expired'),
    };
  }
  return out;
}

function applyToResult(r: Result, waivers: readonly Waiver[], ctx: WaiverContext): Result {
  const cands = candidates(waivers, r.id, ctx);
  if (cands.length === 0) return r;
  if (r.status === 'waived') {
    const w = skipping(waivers, r.id, ctx);
    return w ? { ...r, waiver: applied(w, 'active') } : r;
  }
  if (r.status === 'fail' || r.status === 'warn') return waiveFailure(r, cands, ctx.now);
  const why =
    r.status === 'pass'
      ? 'waiver not needed: the requirement passes'
      : r.status === 'na'
        ? 'waiver not needed: the requirement does not apply'
        : r.status === 'unknown'
          ? 'waiver not applied: the result could not be determined (a waiver covers a failure, never an unknown)'
          : 'waiver not applied: a manual requirement needs an attestation';
  return { ...r, findings: [...r.findings, ...cands.map((w) => note(w, `${why} (waiver: ${w.reason})`))] };
}

/** Applies the configured waivers to evaluated results (after attestations). */
export function waiveResults(results: Result[], waivers: readonly Waiver[], ctx: WaiverContext): Result[] {
  if (waivers.length === 0) return results;
  return results.map((r) => applyToResult(r, waivers, ctx));
}

/** waiveResults on a report, its summary and score recomputed (one step alone; the pipeline scores once). */
export function applyWaivers(report: Report, waivers: readonly Waiver[], ctx: WaiverContext): Report {
  if (waivers.length === 0) return report;
  const results = waiveResults(report.results, waivers, ctx);
  return withResults(report, results);
}
