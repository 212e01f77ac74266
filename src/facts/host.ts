import type { Source } from './evidence.js';

export interface HostFacts {
  hostname: string | null;
  os: { id: string; versionId: string | null; versionCodename: string | null; prettyName: string | null; idLike: string[] } | null;
  /** Container detection never trusts /.dockerenv alone: it needs a corroborating sign. */
  container: { detected: boolean; kind: string | null; signs: Source[]; ignored: Source[] };
  /** Whether systemd is PID 1 (live); offline: null. */
  systemdRunning: boolean | null;
}
