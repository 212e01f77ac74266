import type { Source, Sourced } from './evidence.js';

export interface ProfileCounts {
  enforce: number;
  complain: number;
  /** kill, unconfined, prompt … */
  other: number;
  /** A few complain-mode profile names, for the evidence. */
  complainNames: string[];
}

/** What the running kernel enforces (live only). */
export interface MacKernel {
  /** /sys/kernel/security/lsm: the active LSMs, when securityfs is mounted. */
  lsm: Sourced<string[]> | null;
  apparmor: {
    /** /sys/module/apparmor/parameters/enabled ("Y"); null when the module is not in the kernel. */
    enabled: Sourced<boolean> | null;
    profiles: (ProfileCounts & { source: Source }) | null;
    /** Why the profiles could not be read, if they could not. */
    profilesError: string | null;
  };
  selinux: {
    /** /sys/fs/selinux/enforce: true = enforcing, false = permissive; null = no SELinux in the kernel. */
    enforcing: Sourced<boolean> | null;
  };
}

/** What the next boot will do, from the files (live and offline). */
export interface MacBoot {
  /** LSM-related kernel parameters from GRUB_CMDLINE_LINUX(_DEFAULT) in /etc/default/grub(.d). */
  cmdline: { name: string; value: string; source: Source }[];
  /** SELINUX= in /etc/selinux/config. */
  selinuxConfig: Sourced<string> | null;
  apparmorPackage: { installed: boolean; version: string | null; source: Source };
  /** apparmor.service enabled (a sysinit.target.wants link). */
  apparmorService: Sourced<boolean> | null;
  /** Profiles in /etc/apparmor.d (top-level files); complain = flags=(complain) or force-complain link. */
  apparmorProfiles: (ProfileCounts & { files: number; disabled: number; source: Source }) | null;
}

export interface MacFacts {
  live: boolean;
  kernel: MacKernel | null;
  boot: MacBoot;
}
