/**
 * A path as the scanners report it. `path` is the exact name when it is valid UTF-8 (newlines and
 * all: JSON keeps them, the text renderer escapes them); otherwise every byte that is not valid
 * UTF-8 is written `\xNN` and `rawBase64` holds the exact bytes.
 */
export interface ScannedPath {
  path: string;
  rawBase64: string | null;
}

export interface WorldWritableEntry extends ScannedPath {
  type: 'file' | 'dir';
  /** Permission bits in octal, four digits: "0666", "1777". */
  mode: string;
  uid: number;
}

export interface ExcludedMount {
  path: string;
  fstype: string;
  /** Why it is not scanned: "pseudo file system", "network file system", "runtime tmpfs", … */
  reason: string;
}

export interface WorldWritableFacts {
  /** 'find' = GNU find; 'walker' = the built-in walker (find missing or unusable). */
  method: 'find' | 'walker';
  /** The command that produced the list (find), or a description of the walk. */
  command: string;
  /** Where the walk started (target paths). */
  roots: string[];
  /** Mounts and directories left out, each with the reason. */
  excluded: ExcludedMount[];
  /** World-writable regular files and directories (sticky ones included: the check decides). */
  entries: WorldWritableEntry[];
  /** The scan stopped at `cap` entries. */
  truncated: boolean;
  cap: number;
  /** Directories that could not be read (so the scan is incomplete), at most 100 listed. */
  notScanned: { path: string; rawBase64: string | null; reason: string }[];
  notScannedCount: number;
}
