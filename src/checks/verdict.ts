import type { Finding, Source } from '../facts/evidence.js';

export type Status = 'pass' | 'fail' | 'warn' | 'na' | 'unknown' | 'manual' | 'waived';
export const STATUSES: readonly Status[] = ['pass', 'fail', 'warn', 'na', 'unknown', 'manual', 'waived'];

/** Evidence as a check states it: a source (file:line, command, default) with an optional message. */
export type Evidence = Source & { message?: string };

export interface Verdict {
  status: Status;
  /** The observed state, with the actual value quoted. */
  summary: string;
  findings: Finding[];
}

export function toFinding(e: Evidence, fallbackMessage: string): Finding {
  return {
    message: e.message ?? fallbackMessage,
    path: e.path ?? null,
    line: e.line ?? null,
    command: e.command ?? null,
    excerpt: e.excerpt ?? (e.note && !e.path && !e.command ? e.note : null),
  };
}

function verdict(status: Status, summary: string, evidence: Evidence | readonly Evidence[] | undefined): Verdict {
  const list = evidence === undefined ? [] : Array.isArray(evidence) ? (evidence as readonly Evidence[]) : [evidence as Evidence];
  return { status, summary, findings: list.map((e) => toFinding(e, summary)) };
}

export const pass = (summary: string, evidence?: Evidence | readonly Evidence[]): Verdict => verdict('pass', summary, evidence);
export const fail = (summary: string, evidence?: Evidence | readonly Evidence[]): Verdict => verdict('fail', summary, evidence);
export const warn = (summary: string, evidence?: Evidence | readonly Evidence[]): Verdict => verdict('warn', summary, evidence);
export const na = (summary: string, evidence?: Evidence | readonly Evidence[]): Verdict => verdict('na', summary, evidence);
export const unknown = (summary: string, evidence?: Evidence | readonly Evidence[]): Verdict => verdict('unknown', summary, evidence);
export const manual = (summary: string, evidence?: Evidence | readonly Evidence[]): Verdict => verdict('manual', summary, evidence);
