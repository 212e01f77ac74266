export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Whether standard output is a terminal (colours only then). */
  isTTY: boolean;
  /** The terminal's width when standard output is one (text evidence is cut there). */
  columns?: number;
}
