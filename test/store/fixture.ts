import type { Severity } from '../../src/catalog/types.js';
import type { Status } from '../../src/checks/verdict.js';
import { score, summarize } from '../../src/evaluate/engine.js';
import type { Report, Result } from '../../src/evaluate/report.js';
import type { Finding } from '../../src/facts/evidence.js';

export function finding(message: string, path: string | null = null, line: number | null = null, command: string | null = null): Finding {
  return { message, path, line, command, excerpt: null };
}

export function result(id: string, status: Status, findings: Finding[] = [], severity: Severity = 'high'): Result {
  return {
    id,
    section: '3.1',
    title: `title of ${id}`,
    severity,
    kind: 'automated',
    status,
    summary: `${id} is ${status}`,
    findings,
    remediation: 'fix it',
    controls: { 'iso27001:2013': [], 'iso27001:2022': [], gdpr: [] },
  };
}

/** A report as evaluate() makes it, for store and diff tests. */
export function report(results: Result[], opts: { target?: string; startedAt?: string; pad?: number } = {}): Report {
  const padded = opts.pad ? [...results, result('x.padding', 'pass', [finding('p'.repeat(opts.pad))])] : results;
  return {
    schemaVersion: 1,
    tool: { name: 'rampart', version: 'test' },
    target: { kind: 'root', name: opts.target ?? 'web-1', root: '/tmp/r' },
    profile: 'guide',
    live: false,
    startedAt: opts.startedAt ?? '2026-11-28T10:00:00.000Z',
    collectedAt: opts.startedAt ?? '2026-11-28T10:00:00.000Z',
    durationMs: 1,
    results: padded,
    summary: summarize(padded),
    score: { beforeWaivers: score(padded, false), afterWaivers: score(padded, true) },
    trend: [],
  };
}
