import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Profile } from '../../src/catalog/types.js';
import type { Check } from '../../src/checks/define.js';
import type { Status } from '../../src/checks/verdict.js';
import { DEFAULT_CONFIG, type Config } from '../../src/config/schema.js';
import { evaluate } from '../../src/evaluate/engine.js';
import type { Result } from '../../src/evaluate/report.js';
import type { Fact } from '../../src/facts/fact.js';
import type { Finding } from '../../src/facts/evidence.js';
import type { FactKey, FactValues } from '../../src/facts/index.js';
import { snapshotOf } from '../helpers.js';

/** Facts of a case: a value is collected; give `absent(…)` / `failed(…)` for the other states. */
export type CaseFacts = { [K in FactKey]?: FactValues[K] | Fact<FactValues[K]> };

/** What a case may change in the evaluation context (defaults: live, guide, 2026-11-28T10:00Z, DEFAULT_CONFIG). */
export interface CaseContext {
  live?: boolean;
  profile?: Profile;
  now?: Date;
  config?: Partial<Config>;
}

export interface CheckCase<F = CaseFacts> extends CaseContext {
  name: string;
  /** The facts, or a function giving them (e.g. read from a fixture). */
  facts: F | (() => F | Promise<F>);
  /** Other families for this case (with `key`: beside the one `facts` gives). */
  also?: CaseFacts;
  /** Matched against the summary. */
  summary?: RegExp;
  /** Some finding is at this line. */
  line?: number;
  /**
   * `note`: the fail/warn's evidence is a note with no path or command — a built-in default with its
   * source (`OpenSSH 9.2p1 built-in default (sshd_config(5))`), or an absence said in words (a gap to
   * mend: name the file searched). Default: a finding with a path or a command.
   */
  evidence?: 'note';
  /** Further assertions on the result. */
  verify?: (r: Result) => void;
}

export type CaseStatus = Exclude<Status, 'waived'>;
export type CaseTable<F = CaseFacts> = { [S in CaseStatus]?: readonly CheckCase<F>[] };

export interface CaseOptions extends CaseContext {
  /** Facts every case gets (a case's own facts win). */
  facts?: CaseFacts;
  /** Assertions on every result, after the case's own. */
  verify?: (r: Result, status: CaseStatus) => void;
}

/**
 * Evidence a reader can check: the file (with its line where a line decides; a mode, an absence or a
 * whole file has none) or the command that decided.
 */
export function isEvidence(f: Finding): boolean {
  return f.path !== null || f.command !== null;
}

/**
 * The one table-driven tester for checks: every case goes through the engine (`evaluate` with this
 * one check, as an audit runs it: fact states, onAbsent, thrown errors), its status and summary are
 * asserted, and every fail or warn must carry evidence: a finding with a path (and `line`, when the case
 * gives one, among the findings) or a command.
 * With `key`, a case's `facts` is the value of that one family.
 */
export function runCases<K extends FactKey>(
  check: Check,
  table: CaseTable<FactValues[K] | Fact<FactValues[K]>>,
  opts: CaseOptions & { key: K },
): void;
export function runCases(check: Check, table: CaseTable, opts?: CaseOptions): void;
export function runCases(check: Check, table: CaseTable<unknown>, opts: CaseOptions & { key?: FactKey } = {}): void {
  for (const status of Object.keys(table) as CaseStatus[]) {
    for (const c of table[status] ?? []) {
      test(`${check.id} ${status}: ${c.name}`, async () => {
        const given = typeof c.facts === 'function' ? await (c.facts as () => unknown)() : c.facts;
        const own = (opts.key ? { [opts.key]: given } : given) as CaseFacts;
        const r = evaluateCase(
          check,
          { ...opts.facts, ...c.also, ...own },
          {
            live: c.live ?? opts.live,
            profile: c.profile ?? opts.profile,
            now: c.now ?? opts.now,
            config: { ...opts.config, ...c.config },
          },
        );
        assert.equal(r.status, status, r.summary);
        if (c.summary) assert.match(r.summary, c.summary);
        if ((status === 'fail' || status === 'warn') && c.evidence !== 'note')
          assert.ok(r.findings.some(isEvidence), `a ${status} carries evidence (a path or a command): ${JSON.stringify(r.findings)}`);
        if (c.line !== undefined)
          assert.ok(
            r.findings.some((f) => f.line === c.line),
            `a finding at line ${c.line}: ${JSON.stringify(r.findings)}`,
          );
        c.verify?.(r);
        opts.verify?.(r, status);
      });
    }
  }
}

/** One check through the engine on a snapshot of `facts`. */
export function evaluateCase(check: Check, facts: CaseFacts, c: { [P in keyof CaseContext]?: CaseContext[P] | undefined } = {}): Result {
  const report = evaluate(snapshotOf(facts, c.live ?? true), {
    checks: [check],
    profile: c.profile ?? 'guide',
    ...(c.now ? { now: c.now } : {}),
    config: { ...DEFAULT_CONFIG, ...c.config },
    startedAt: '2026-11-28T10:00:00Z',
    durationMs: 0,
  });
  const r = report.results[0];
  assert.ok(r, `${check.id}: no result`);
  return r;
}
