import type { Source } from './evidence.js';

/** One container setting with the place that decided it (compose file:line, Dockerfile:line or the Engine API). */
export interface DockerSetting<T> {
  value: T;
  source: Source;
}

export interface DockerMount {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'other';
  /** Host path (bind), volume name, or null (anonymous volume, tmpfs). */
  source: string | null;
  target: string;
  readOnly: boolean;
  at: Source;
}

/**
 * The settings the hardening checks judge, in one shape for a compose service (static) and a live
 * container (Engine API). Unset values carry the service key (or container) as their source, with a note.
 */
export interface DockerSettings {
  image: DockerSetting<string | null>;
  /** The effective user: compose `user:`, else the built Dockerfile's USER, else live Config.User; null = not set (root). */
  user: DockerSetting<string | null>;
  /** Where `user` came from; 'unknown' = the image is pulled and its USER cannot be read offline. */
  userFrom: 'compose' | 'dockerfile' | 'live' | 'unknown';
  readOnly: DockerSetting<boolean>;
  privileged: DockerSetting<boolean>;
  capAdd: DockerSetting<string[]>;
  capDrop: DockerSetting<string[]>;
  securityOpt: DockerSetting<string[]>;
  networkMode: DockerSetting<string | null>;
  pidMode: DockerSetting<string | null>;
  ipcMode: DockerSetting<string | null>;
  mounts: DockerMount[];
  /** Base images the service builds FROM (Dockerfile), for digest pinning. */
  baseImages: DockerSetting<string>[];
}

export interface DockerDrift {
  field: 'user' | 'readOnly' | 'privileged' | 'capAdd' | 'capDrop' | 'securityOpt' | 'networkMode' | 'pidMode' | 'ipcMode';
  compose: string;
  live: string;
  composeSource: Source;
  liveSource: Source;
}

/** A compose service, a running container, or both (matched by the compose labels). */
export interface DockerWorkload {
  /** "project/service" for compose services, "container NAME" for other containers. */
  name: string;
  project: string | null;
  service: string | null;
  /** The service key (file:line) of the compose definition. */
  composeSource: Source | null;
  container: { id: string; name: string; state: string; source: Source } | null;
  /** What decides: the live container where one exists, else the compose definition. */
  settings: DockerSettings;
  /** The compose definition, when there is one and a live container decides (for drift). */
  compose: DockerSettings | null;
  drift: DockerDrift[];
}

export interface ComposeProject {
  name: string;
  /** Files in merge order (base, then overrides / -f list). */
  files: string[];
  origin: 'discovered' | 'configured' | 'label';
  /** ok; invalid: compose would reject it (YAML, types, extends); unresolved: interpolation failed. */
  status: 'ok' | 'invalid' | 'unresolved' | 'unreadable';
  error: { reason: string; source: Source } | null;
  /** Variable names of the project's .env (never their values). */
  envFile: { path: string; variables: string[] } | null;
  services: string[];
  /**
   * Compose files read through a symlink (path → the real file, inside the root). Evidence names the
   * real file; the project directory stays the link's, as compose has it. Absent in older snapshots.
   */
  links?: { path: string; target: string }[];
}

export interface DaemonJson {
  path: string;
  status: 'ok' | 'missing' | 'invalid' | 'unreadable';
  error: { reason: string; source: Source } | null;
  noNewPrivileges: DockerSetting<boolean | null>;
  icc: DockerSetting<boolean | null>;
  liveRestore: DockerSetting<boolean | null>;
  logDriver: DockerSetting<string | null>;
  logMaxSize: DockerSetting<string | null>;
}

export interface DockerEngine {
  state: 'running' | 'not-running' | 'offline' | 'error' | 'unsupported';
  detail: string;
  host: string;
  source: Source;
  version: string | null;
  apiVersion: string | null;
}

export interface ScanReport {
  path: string;
  tool: 'trivy' | 'grype';
  /** The image reference the report is about (ArtifactName / source.target.userInput). */
  artifact: string;
  imageId: string | null;
  repoDigests: string[];
  /** ISO time of the scan (report field, else the file's mtime). */
  scannedAt: string;
  scannedAtFrom: 'report' | 'mtime';
}

export interface DockerFacts {
  installed: boolean;
  installedEvidence: Source[];
  composeSearchDirs: string[];
  projects: ComposeProject[];
  workloads: DockerWorkload[];
  daemon: DaemonJson;
  engine: DockerEngine;
  scanners: { name: 'trivy' | 'grype' | 'docker scout'; path: string }[];
  /** When no scanner was found: paths whose stat was denied (a 0700 home), so a scanner there cannot be ruled out. */
  scannersDenied?: string[];
  /** Directories searched for scan reports (*.json), in order. */
  scanReportDirs: string[];
  scanReports: ScanReport[];
  /** Report files that could not be read as a trivy or grype JSON report. */
  scanReportErrors: { path: string; reason: string }[];
  /** DOCKER_CONTENT_TRUST assignments found in the deploying environment (the value is "0"/"1", not a secret). */
  contentTrust: { value: string; source: Source }[];
  /** Files searched for DOCKER_CONTENT_TRUST. */
  contentTrustSearched: string[];
  /** Environment files (or the directories holding them) that could not be read for permission. */
  contentTrustDenied?: string[];
}
