/** Where a value came from: a file and line, a command, or a built-in default. */
export interface Source {
  path?: string;
  line?: number;
  command?: string;
  /** e.g. "OpenSSH 9.2 default (sshd_config(5))" */
  note?: string;
  excerpt?: string;
}

/** One piece of evidence in a result, as the JSON contract has it. */
export interface Finding {
  message: string;
  path: string | null;
  line: number | null;
  command: string | null;
  excerpt: string | null;
}

/** A value together with the place that decided it. */
export interface Sourced<T> {
  value: T;
  source: Source;
}

export function describeSource(s: Source): string {
  if (s.path) return s.line ? `${s.path}:${s.line}` : s.path;
  if (s.command) return s.command;
  return s.note ?? 'unknown source';
}
