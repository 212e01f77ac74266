import type { Source } from './evidence.js';

/**
 * Shared contract (other checks read these): every user and group of the target, with the
 * file:line that defined it. The accounts collector owns the rest of this type.
 */
export interface AccountUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
  source: Source;
}
export interface AccountGroup {
  name: string;
  gid: number;
  /** Members listed in /etc/group (not those whose primary group this is: see membersOf). */
  members: string[];
  source: Source;
}

/** crypt(5) prefixes: $y$ yescrypt, $gy$ gost-yescrypt, $7$ scrypt, $6$ sha512, $5$ sha256, $2b$ bcrypt, $1$ md5, else DES. */
export type HashAlgorithm = 'yescrypt' | 'gost-yescrypt' | 'scrypt' | 'sha512' | 'sha256' | 'bcrypt' | 'md5' | 'sunmd5' | 'des' | 'unknown';

/** A password field reduced to its state: the hash itself never enters facts. */
export type PasswordState =
  | { kind: 'locked'; marker: string; algorithm: HashAlgorithm | null }
  | { kind: 'empty' }
  | { kind: 'hashed'; algorithm: HashAlgorithm }
  | { kind: 'unknown'; reason: string };

/** shadow(5) aging fields, days since 1970-01-01 or day counts; null when empty. */
export interface PasswordAging {
  lastChange: number | null;
  minDays: number | null;
  maxDays: number | null;
  warnDays: number | null;
  inactiveDays: number | null;
  expireDate: number | null;
}

export type LastLogin =
  | { kind: 'at'; time: string; line: string; host: string; source: Source }
  | { kind: 'never'; source: Source }
  | { kind: 'unknown'; reason: string };

/** Everything the review needs about one passwd account (keyed by name, in passwd order). */
export interface AccountDetail {
  name: string;
  uid: number;
  /** The shell with the empty field resolved to /bin/sh. */
  shell: string;
  loginShell: boolean;
  password: PasswordState;
  /** Where the password state came from (shadow or passwd line). */
  passwordSource: Source;
  aging: PasswordAging | null;
  /** Primary and supplementary group names, sorted. */
  groups: string[];
  lastLogin: LastLogin;
}

export interface FileMeta {
  path: string;
  uid: number;
  gid: number;
  /** mode & 0o7777 */
  mode: number;
}

/** A problem reading or parsing an input: it makes a verdict that depends on it unknown. */
export interface InputProblem {
  message: string;
  source: Source;
}

/** Who a sudoers rule applies to, after alias expansion. */
export interface SudoPrincipal {
  kind: 'user' | 'uid' | 'group' | 'gid' | 'all' | 'netgroup' | 'nonunix-group';
  /** user or group name, numeric id as text, or 'ALL'. */
  name: string;
}

export interface SudoCommand {
  /** The command as written after alias expansion ('ALL', '/usr/bin/apt', 'sudoedit /etc/x'). */
  command: string;
  negated: boolean;
  /** NOPASSWD tag, or `Defaults !authenticate` in scope, and no PASSWD tag. */
  nopasswd: boolean;
  runas: string | null;
}

/** One principal's grant from one user specification (a line naming several users gives several). */
export interface SudoRule {
  principal: SudoPrincipal;
  hosts: string[];
  commands: SudoCommand[];
  source: Source;
}

export interface SudoFile {
  meta: FileMeta | null;
  source: Source;
  /** visudo -c -f FILE (live) or the parser's verdict (offline). */
  parsesOk: boolean;
  errors: InputProblem[];
}

export interface SudoFacts {
  installed: boolean;
  /** Where sudo was found (binary path) or why it is considered absent. */
  installedSource: Source;
  /** 'visudo' when visudo -c decided parse validity, 'parser' offline or without visudo. */
  validatedBy: 'visudo' | 'parser';
  /** /etc/sudoers and every file it includes, in include order. */
  files: SudoFile[];
  rules: SudoRule[];
  /** Includes that could not be followed, unreadable files, loops. */
  problems: InputProblem[];
}

export interface PamModuleLine {
  /** pam_pwquality.so etc. (basename of the module path). */
  module: string;
  control: string;
  args: string[];
  /** `-password` lines: skipped silently when the module is missing. */
  optional: boolean;
  source: Source;
  /** An earlier line whose jump (success=N, sufficient) can skip this one, if any. */
  skippableBy: Source | null;
}

export interface PwqualitySetting {
  value: number;
  source: Source;
}

export interface PasswordPolicyFacts {
  /** The PAM service whose password stack was resolved (passwd, common-password, system-auth…). */
  stackEntry: string | null;
  /** The password stack after @include/include/substack, in order. */
  stack: PamModuleLine[];
  /** pam_pwquality settings: defaults < pwquality.conf.d/*.conf < pwquality.conf < PAM line options. */
  pwquality: {
    minlen: PwqualitySetting;
    minclass: PwqualitySetting;
    dcredit: PwqualitySetting;
    ucredit: PwqualitySetting;
    lcredit: PwqualitySetting;
    ocredit: PwqualitySetting;
    enforcing: PwqualitySetting;
  } | null;
  /** pam_passwdqc min=N0,N1,N2,N3,N4 (null entries = disabled). */
  passwdqc: { min: (number | null)[]; source: Source } | null;
  /** Hash method new passwords get: pam_unix option, else login.defs ENCRYPT_METHOD, else DES. */
  hashMethod: { value: string; source: Source } | null;
  problems: InputProblem[];
}

export interface AccountsFacts {
  installed: boolean;
  users: AccountUser[];
  groups: AccountGroup[];
  /** UID_MIN from /etc/login.defs (default 1000): human accounts start here. */
  uidMin: { value: number; source: Source };
  details: AccountDetail[];
  /** NIS compat lines (+/-) in passwd/group: accounts may also come from NIS. */
  nis: Source[];
  /** Unparseable lines, unreadable shadow, etc. */
  problems: InputProblem[];
  sudo: SudoFacts;
  passwordPolicy: PasswordPolicyFacts;
}

/** Members of a group: listed members plus users whose primary group it is. */
export function membersOf(facts: Pick<AccountsFacts, 'users' | 'groups'>, group: string): string[] {
  const g = facts.groups.find((x) => x.name === group);
  if (!g) return [];
  const primary = facts.users.filter((u) => u.gid === g.gid).map((u) => u.name);
  return [...new Set([...g.members, ...primary])].sort();
}

/** Whether a user counts as an administrator under config.admin_users / admin_groups. */
export function isAdmin(
  facts: Pick<AccountsFacts, 'users' | 'groups'>,
  user: string,
  adminUsers: readonly string[],
  adminGroups: readonly string[],
): boolean {
  return adminUsers.includes(user) || adminGroups.some((g) => membersOf(facts, g).includes(user));
}
