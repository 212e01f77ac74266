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
  /** Matched against the summary. */
  summary?: RegExp;
  /** Some finding is at this line. */
  line?: number;
  /**
   * `file`: for a fail/warn decided by a whole file (it is missing, or no line in it sets the
   * directive), a finding with the path and no line is the evidence. Default: file:line or command.
   */
  evidence?: 'file';
  /** Further assertions on the result. */
  verify?: (r: Result) => void;
}

export type CaseStatus = Exclude<Status, 'waived'>;
export type CaseTable<F = CaseFacts> = { [S in CaseStatus]?: readonly CheckCase<F>[] };

export interface CaseOptions extends CaseContext {
  /** Facts every case gets (a case's own facts win). */
  facts?: CaseFacts;
}

/** Evidence a reader can check: a file and line, or a command (`file`: a path is enough). */
export function isEvidence(f: Finding, kind: 'line' | 'file' = 'line'): boolean {
  return (f.path !== null && (f.line !== null || kind === 'file')) || f.command !== null;
}

/**
 * The one table-driven tester for checks: every case goes through the engine (`evaluate` with this
 * one check, as an audit runs it: fact states, onAbsent, thrown errors), its status and summary are
 * asserted, and every fail or warn must carry evidence (a finding with a path and a line, or a command;
 * a case says `evidence: 'file'` where a whole file decides).
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
        const r = evaluateCase(check, { ...opts.facts, ...own }, { ...opts, ...c, config: { ...opts.config, ...c.config } });
        assert.equal(r.status, status, r.summary);
        if (c.summary) assert.match(r.summary, c.summary);
        if (status === 'fail' || status === 'warn')
          assert.ok(
            r.findings.some((f) => isEvidence(f, c.evidence ?? 'line')),
            `a ${status} carries evidence (${c.evidence === 'file' ? 'a path' : 'file:line'} or a command): ${JSON.stringify(r.findings)}`,
          );
        if (c.line !== undefined)
          assert.ok(
            r.findings.some((f) => f.line === c.line),
            `a finding at line ${c.line}: ${JSON.stringify(r.findings)}`,
          );
        c.verify?.(r);
      });
    }
  }
}

/** One check through the engine on a snapshot of `facts`. */
export function evaluateCase(check: Check, facts: CaseFacts, c: CaseContext = {}): Result {
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
