import type { Source } from './evidence.js';

export type RedisDangerousCommand = 'flushdb' | 'flushall' | 'config' | 'debug' | 'keys' | 'shutdown' | 'module';

/** A password as facts may hold it: never the value or its hash. */
export interface RedisSecret {
  /** plain: the value was known to the collector (config file, probe credential); hashed: only its SHA-256. */
  kind: 'plain' | 'hashed';
  lengthClass: 'empty' | '1-7' | '8-15' | '16-31' | '32+' | null;
  /** zxcvbn score 0–4 (null for a hash). */
  score: number | null;
  /** zxcvbn matched a dictionary word in it. */
  dictionaryWord: boolean | null;
  /** zxcvbn's generic warning ("This is a very common password"), never a piece of the password. */
  warning: string | null;
  /** length >= 16 and score >= 3; null when not knowable (a hash). */
  strong: boolean | null;
}

export interface RedisSetting<T> {
  value: T;
  /** What decided it: file:line, a built-in default ({ note }) or a live command. */
  source: Source;
}

export interface RedisPermission {
  /** null: cannot be determined (selectors offline, ACL DRYRUN refused). */
  allowed: boolean | null;
  /** The rule or reply that decided it (passwords never included). */
  how: string;
  source: Source;
}

export interface RedisAclUser {
  name: string;
  enabled: boolean;
  nopass: boolean;
  /** One entry per password the user has. */
  passwords: RedisSecret[];
  /** +@all (or allcommands) with nothing taken away. */
  allCommands: boolean;
  /** ~* or allkeys. */
  allKeys: boolean;
  /** Command and key rules as Redis lists them, passwords and hashes left out. */
  commandRules: string;
  keyRules: string;
  /** Whether each dangerous command is allowed to this user. */
  dangerous: Record<RedisDangerousCommand, RedisPermission>;
  source: Source;
}

export interface RedisFileSetting {
  value: string | null;
  source: Source;
  /** stat of the file through the target (null when unset). */
  file: { exists: boolean; type: string | null; mode: number | null; error: string | null } | null;
}

export interface RedisDrift {
  setting: string;
  /** For passwords "set"/"differs", never the value. */
  disk: string;
  live: string;
  diskSource: Source;
  liveSource: Source;
}

export type RedisConfigState =
  | { status: 'ok' }
  /** Redis refuses it at start (FATAL CONFIG FILE ERROR / ACL error): the running server, if any, uses something else. */
  | { status: 'invalid'; reason: string; source: Source }
  /** We cannot read a file it reads (permission, size, binary): the effective values are not known. */
  | { status: 'unreadable'; reason: string; source: Source }
  | { status: 'missing'; reason: string; source: Source };

export interface RedisLive {
  state: 'offline' | 'not-running' | 'ok' | 'error';
  /** One line: what happened (timeouts, WRONGPASS, refused connection). */
  detail: string;
  endpoint: string | null;
  tls: boolean;
  /** Where the probe's credentials came from (never the value). */
  credential: {
    kind: 'config-url' | 'password-file' | 'config-file' | 'none';
    user: string | null;
    source: Source;
    secret: RedisSecret | null;
  };
  /** PING without AUTH: refused (NOAUTH) or answered. null: not tried / no answer. */
  unauthenticated: { refused: boolean | null; reply: string; source: Source };
  /** The user the probe is authenticated as (ACL WHOAMI). */
  whoami: string | null;
  version: string | null;
  /** CONFIG GET: ok, or why not (renamed to "" / to another name, NOPERM). */
  configGet: { state: 'ok' | 'removed' | 'renamed' | 'denied' | 'error' | 'not-tried'; detail: string };
  aclList: { state: 'ok' | 'denied' | 'error' | 'not-tried'; detail: string };
  dryrun: { state: 'ok' | 'denied' | 'error' | 'not-tried'; detail: string };
}

export interface RedisInstance {
  /** host:port or the configuration file. */
  name: string;
  configPath: string | null;
  /** How it was found: process, unit, package default, configuration. */
  discovery: Source[];
  process: { pid: number; uid: number | null; title: string } | null;
  config: RedisConfigState;
  /** Files read, includes expanded, in order. */
  files: string[];
  /** Where the effective values come from: the files, or the files with the running server's values laid over. */
  effectiveFrom: 'files' | 'files+live';
  /** The default user's authentication (requirepass or a `user default` rule). */
  auth: { defaultEnabled: boolean; defaultNopass: boolean; passwords: RedisSecret[]; source: Source; requirepass: RedisSetting<boolean> };
  /** Where the ACL users come from. */
  acl: { kind: 'builtin' | 'config' | 'aclfile' | 'live'; source: Source; aclfile: string | null };
  users: RedisAclUser[];
  bind: RedisSetting<string[]> & { defaulted: boolean };
  protectedMode: RedisSetting<string>;
  port: RedisSetting<number | null>;
  tlsPort: RedisSetting<number | null>;
  tlsCertFile: RedisFileSetting;
  tlsKeyFile: RedisFileSetting;
  /** rename-command per dangerous command ("" removes it; any other new name is hidden). */
  renamed: Partial<Record<RedisDangerousCommand, RedisSetting<'removed' | 'renamed'>>>;
  /** enable-debug-command / enable-module-command (Redis 7: "no" blocks DEBUG / MODULE for everyone). */
  enableDebug: RedisSetting<string>;
  enableModule: RedisSetting<string>;
  live: RedisLive;
  drift: RedisDrift[];
}

export interface RedisFacts {
  installed: boolean;
  installedEvidence: Source;
  instances: RedisInstance[];
}

/** An instance's label in summaries and evidence. */
export function instanceLabel(i: RedisInstance): string {
  return i.configPath && i.name !== i.configPath ? `${i.name} (${i.configPath})` : i.name;
}

/** How a password is described in output: never its value. */
export function describeSecret(s: RedisSecret): string {
  if (s.kind === 'hashed') return 'set (stored as a hash: strength cannot be estimated)';
  const dict = s.dictionaryWord ? ', contains a dictionary word' : '';
  const warning = s.warning ? `, "${s.warning}"` : '';
  return `length ${s.lengthClass ?? '?'}, strength score ${s.score ?? '?'}/4${dict}${warning}`;
}
