import type { Source } from './evidence.js';

/** An apt.conf setting after merging, with every statement that wrote it (for remediation). */
export interface AptSetting {
  key: string;
  /** null: not set anywhere (the default applies). */
  value: string | null;
  source: Source;
  writes: Source[];
}

export interface OriginPattern {
  /** As written, e.g. "origin=Debian,codename=${distro_codename}-security,label=Debian-Security". */
  value: string;
  /** In unattended-upgrades' "o=..,a=.." form with ${distro_id}/${distro_codename} expanded. */
  expanded: string;
  /** Whether it matches one of `securityOrigins` (unattended-upgrades' match_whitelist_string). */
  matchesSecurity: boolean;
  source: Source;
}

export interface ReleaseOrigin {
  origin: string;
  label: string;
  suite: string;
  codename: string;
  component: string;
  site: string;
}

export interface ListFile {
  path: string;
  release: (ReleaseOrigin & { version: string; releasePath: string | null; notAutomatic: boolean; butAutomaticUpgrades: boolean }) | null;
  arch: string;
  /** Default pin priority of the file (500, 1 NotAutomatic, 100 ButAutomaticUpgrades, or a generic pin). */
  priority: number;
  security: boolean;
  /** Why the file could not be read (then its versions are unknown). */
  error: string | null;
}

export interface PendingUpdate {
  name: string;
  arch: string;
  installed: string;
  candidate: string;
  /** Origins of the candidate version, e.g. "Debian-Security bookworm-security (deb.debian.org)". */
  origins: string[];
  security: boolean;
}

export interface LogFile {
  path: string;
  entries: number;
  /** ISO times (the logs carry local time without a zone; read as UTC). */
  first: string | null;
  last: string | null;
  error: string | null;
}

export interface PackageFacts {
  /** dpkg's database is there (Debian family). */
  installed: boolean;
  manager: 'apt';
  distro: { id: string | null; codename: string | null; distroId: string | null; source: Source };
  unattendedUpgrades: { installed: boolean; version: string | null; source: Source };
  aptConf: {
    /** Files in the order apt reads them. */
    files: string[];
    errors: { path: string; line: number; message: string }[];
    /** `#include` directives (not followed). */
    includes: Source[];
    enable: AptSetting;
    updatePackageLists: AptSetting;
    unattendedUpgrade: AptSetting;
    originsPattern: OriginPattern[];
    allowedOrigins: OriginPattern[];
    /** The security origins the patterns were matched against (from the lists, else the distribution's). */
    securityOrigins: ReleaseOrigin[];
  };
  /** apt-daily*.timer state from unit files and symlinks; null when systemd units are not there. */
  timers: { name: string; unitExists: boolean; enabled: boolean; masked: boolean; source: Source }[];
  lists: {
    /** 'none': no Packages lists at all. */
    state: 'ok' | 'none';
    files: ListFile[];
    /** Newest of update-success-stamp and the list files. */
    updatedAt: string | null;
    updatedSource: Source | null;
    pins: { source: Source; text: string; priority: number }[];
    /** Pins or lists that keep the candidate computation from being exact. */
    problems: { source: Source; reason: string }[];
  };
  inventory: {
    count: number;
    /** Installed packages per origin of their installed version ("local" when no list has it). */
    byOrigin: Record<string, number>;
    packages: { name: string; arch: string; version: string; origin: string }[];
    source: Source;
  };
  updates: {
    /** null when the candidates could not be computed (no lists). */
    pending: PendingUpdate[] | null;
    reason: string | null;
    method: Source;
  };
  history: { apt: LogFile[]; dpkg: LogFile[] };
}
