import type { Source } from './evidence.js';

/**
 * What a file's content is, judged from its bytes (never its name):
 * - encrypted: age, OpenPGP encrypted message (PKESK/SKESK), openssl enc ("Salted__")
 * - plain: a readable dump (SQL text, PGDMP, tar, text) or a compression of one
 * - unknown: binary content that is neither ("cannot tell"), or unreadable
 */
export type ContentVerdict = 'encrypted' | 'plain' | 'unknown';

export interface BackupFile {
  /** Target path. */
  path: string;
  size: number;
  verdict: ContentVerdict;
  /** Layers outermost first, e.g. "gzip > tar > PostgreSQL SQL dump" or "age (X25519 recipient)". */
  format: string;
  /** Why unknown, or what was not inspected. */
  detail: string | null;
}

/** An encrypted-by-design repository found in a backup location; its files are judged as a whole. */
export interface BackupRepository {
  tool: 'restic' | 'borg' | 'kopia';
  path: string;
  /** null: cannot tell (e.g. borg keyfile or none, no segment to look at). */
  encrypted: boolean | null;
  /** restic: "restic (always encrypted)"; borg: repokey / keyfile / none / authenticated; kopia: the algorithm. */
  mode: string | null;
  evidence: Source[];
}

export interface ManifestEntry {
  /** As written in the manifest. */
  name: string;
  /** Target path it resolves to. */
  path: string;
  line: number;
  /** The expected SHA-256, lower-case hex (a hash is not a secret). */
  expected: string;
  status: 'ok' | 'mismatch' | 'missing' | 'unreadable';
  actual: string | null;
  detail: string | null;
}

export interface ChecksumManifest {
  path: string;
  entries: ManifestEntry[];
  /** Lines that are not sha256sum format. */
  errors: { line: number; message: string }[];
}

export interface BackupLocation {
  /** As configured (config.backup_dirs). */
  dir: string;
  state: 'ok' | 'missing' | 'not-dir' | 'unreadable';
  detail: string | null;
  files: BackupFile[];
  repositories: BackupRepository[];
  manifests: ChecksumManifest[];
  /** Entries not judged: symlinked directories, sockets, unreadable subdirectories, the file limit. */
  skipped: { path: string; reason: string }[];
}

/** Where a backup tool sends its data, from its configuration or a scheduled command line. */
export interface BackupDestination {
  tool: 'restic' | 'borg' | 'borgmatic' | 'rclone' | 'kopia' | 'aws' | 'rsync';
  /** The repository / remote with any credentials removed. */
  target: string;
  remote: boolean;
  /** Why remote or local: "sftp: repository", "rclone remote of type s3", "local path". */
  reason: string;
  /** Whether the line is in a schedule (cron, a systemd unit with a timer) or only in a tool config. */
  scheduled: boolean;
  source: Source;
}

/** A configured repository check (restic check, borg check, borgmatic checks). */
export interface RepositoryCheck {
  tool: 'restic' | 'borg' | 'borgmatic';
  scheduled: boolean;
  source: Source;
}

export interface BackupFacts {
  locations: BackupLocation[];
  destinations: BackupDestination[];
  repositoryChecks: RepositoryCheck[];
  /** Files read for schedules and tool configuration. */
  scanned: string[];
}
