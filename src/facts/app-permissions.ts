import type { Source } from './evidence.js';

export interface AppModeEntry {
  path: string;
  /** Exact bytes (base64) when the name is not valid UTF-8; `path` then escapes them as \xNN. */
  rawBase64: string | null;
  type: 'file' | 'dir' | 'symlink' | 'other';
  /** Permission bits in octal, four digits ("0600"); for symlinks the link's target instead. */
  mode: string;
  /** For symlinks: where it points (not followed). */
  linkTarget: string | null;
}

export interface AppDirFacts {
  path: string;
  source: Source;
  exists: boolean;
  /** Why it could not be scanned, when it exists but is not a readable directory. */
  error: string | null;
  files: number;
  dirs: number;
  /** Files and directories whose mode is not the guide's, symlinks that lead out of the dir, other node types. */
  deviations: AppModeEntry[];
  truncated: boolean;
  notScanned: { path: string; reason: string }[];
}

export interface AppPermissionFacts {
  /** config.app_executables, which may be 755. */
  executables: string[];
  dirs: AppDirFacts[];
}
