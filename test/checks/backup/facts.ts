import type { BackupFacts, BackupFile, BackupLocation } from '../../../src/facts/backups.js';

export const file = (path: string, verdict: BackupFile['verdict'], format: string): BackupFile => ({
  path,
  size: 100,
  verdict,
  format,
  detail: verdict === 'unknown' ? 'cannot tell' : null,
});

export function loc(over: Partial<BackupLocation> = {}): BackupLocation {
  return { dir: '/srv/backups', state: 'ok', detail: null, files: [], repositories: [], manifests: [], skipped: [], ...over };
}

export function backups(over: Partial<BackupFacts> = {}): BackupFacts {
  return { locations: [], destinations: [], repositoryChecks: [], scanned: [], ...over };
}
