export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Whether standard output is a terminal (colours only then). */
  isTTY: boolean;
  /** Whether standard error is a terminal (progress lines only then); absent: not. */
  stderrIsTTY?: boolean;
  /** The terminal's width when standard output is one (text evidence is cut there). */
  columns?: number;
  /** The terminal's width when standard error is one (the progress line is cut there). */
  stderrColumns?: number;
}
