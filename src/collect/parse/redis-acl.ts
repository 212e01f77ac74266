// Redis 7.0 ACL rules (src/acl.c ACLSetUser) as they appear in `user` directives, an aclfile and
// `ACL LIST`. The model keeps plaintext passwords only in memory (for the strength estimate); the
// collector turns it into facts without them.
import { redactAclRule, splitArgs } from './redis-config.js';

export const DANGEROUS_COMMANDS = ['flushdb', 'flushall', 'config', 'debug', 'keys', 'shutdown', 'module'] as const;
export type DangerousCommand = (typeof DANGEROUS_COMMANDS)[number];

export interface CommandProbe {
  command: DangerousCommand;
  sub: string | null;
  /** ACL categories (`COMMAND INFO`, Redis 7.0.15). */
  categories: readonly string[];
  /** Arguments for `ACL DRYRUN user …` (valid arity). */
  dryrun: readonly string[];
}

const ADMIN = ['admin', 'slow', 'dangerous'];
/** Each dangerous command (and the subcommands that matter) as ACL sees it; a command is allowed if any probe is. */
export const COMMAND_PROBES: readonly CommandProbe[] = [
  { command: 'flushdb', sub: null, categories: ['keyspace', 'write', 'slow', 'dangerous'], dryrun: ['flushdb'] },
  { command: 'flushall', sub: null, categories: ['keyspace', 'write', 'slow', 'dangerous'], dryrun: ['flushall'] },
  { command: 'config', sub: 'get', categories: ADMIN, dryrun: ['config', 'get', 'requirepass'] },
  { command: 'config', sub: 'set', categories: ADMIN, dryrun: ['config', 'set', 'maxmemory', '0'] },
  { command: 'config', sub: 'rewrite', categories: ADMIN, dryrun: ['config', 'rewrite'] },
  { command: 'debug', sub: null, categories: ADMIN, dryrun: ['debug', 'help'] },
  { command: 'keys', sub: null, categories: ['keyspace', 'read', 'slow', 'dangerous'], dryrun: ['keys', '*'] },
  { command: 'shutdown', sub: null, categories: ADMIN, dryrun: ['shutdown'] },
  { command: 'module', sub: 'load', categories: ADMIN, dryrun: ['module', 'load', '/nonexistent'] },
  { command: 'module', sub: 'list', categories: ADMIN, dryrun: ['module', 'list'] },
];
export const probeKey = (p: Pick<CommandProbe, 'command' | 'sub'>) => (p.sub ? `${p.command}|${p.sub}` : p.command);

/** ACL categories of Redis 7.0 (`ACL CAT`). */
export const ACL_CATEGORIES = new Set([
  'keyspace',
  'read',
  'write',
  'set',
  'sortedset',
  'list',
  'hash',
  'string',
  'bitmap',
  'hyperloglog',
  'geo',
  'stream',
  'pubsub',
  'admin',
  'fast',
  'slow',
  'blocking',
  'dangerous',
  'connection',
  'transaction',
  'scripting',
  'all',
]);

export interface AclUserModel {
  name: string;
  enabled: boolean;
  nopass: boolean;
  /** In memory only: plaintext passwords (from `>pw`), for the strength estimate. */
  plain: string[];
  /** In memory only: SHA-256 hex of the passwords (`#hash` rules, ACL LIST). */
  hashes: string[];
  commandRules: string[];
  keyRules: string[];
  selectors: boolean;
  /** Per probe: the last rule that decided it. */
  perms: Record<string, { allowed: boolean; rule: string }>;
}

/** A user as ACLCreateUser makes it: off, no password, no commands, no keys. */
export function newAclUser(name: string): AclUserModel {
  const perms: AclUserModel['perms'] = {};
  for (const p of COMMAND_PROBES) perms[probeKey(p)] = { allowed: false, rule: '(new user: no commands)' };
  return { name, enabled: false, nopass: false, plain: [], hashes: [], commandRules: [], keyRules: [], selectors: false, perms };
}

/** The built-in default user (ACLCreateDefaultUser): on nopass ~* &* +@all. */
export function builtinDefaultUser(): AclUserModel {
  const u = newAclUser('default');
  for (const r of ['on', 'nopass', '~*', '&*', '+@all']) applyAclRule(u, r);
  return u;
}

function touch(u: AclUserModel, allowed: boolean, rule: string, matches: (p: CommandProbe) => boolean): void {
  for (const p of COMMAND_PROBES) if (matches(p)) u.perms[probeKey(p)] = { allowed, rule };
}

/** Applies one rule; returns an error message as Redis would refuse it, else null. */
export function applyAclRule(u: AclUserModel, rule: string): string | null {
  const lower = rule.toLowerCase();
  if (lower === 'on') u.enabled = true;
  else if (lower === 'off') u.enabled = false;
  else if (lower === 'nopass') {
    u.nopass = true;
    u.plain = [];
    u.hashes = [];
  } else if (lower === 'resetpass') {
    u.nopass = false;
    u.plain = [];
    u.hashes = [];
  } else if (rule.startsWith('>')) {
    const pw = rule.slice(1);
    if (!u.plain.includes(pw)) u.plain.push(pw);
    u.nopass = false;
  } else if (rule.startsWith('<')) u.plain = u.plain.filter((p) => p !== rule.slice(1));
  else if (rule.startsWith('#')) {
    if (!/^#[0-9a-fA-F]{64}$/.test(rule))
      return 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters';
    const h = rule.slice(1).toLowerCase();
    if (!u.hashes.includes(h)) u.hashes.push(h);
    u.nopass = false;
  } else if (rule.startsWith('!')) u.hashes = u.hashes.filter((h) => h !== rule.slice(1).toLowerCase());
  else if (lower === 'allkeys' || rule.startsWith('~') || /^%[RW]{1,2}~/i.test(rule)) u.keyRules.push(rule);
  else if (lower === 'resetkeys') u.keyRules = [];
  else if (rule.startsWith('&') || lower === 'allchannels' || lower === 'resetchannels') return null;
  else if (lower === 'sanitize-payload' || lower === 'skip-sanitize-payload' || lower === 'clearselectors') return null;
  else if (rule.startsWith('(') && rule.endsWith(')')) u.selectors = true;
  else if (lower === 'reset') {
    for (const r of ['resetpass', 'resetkeys', 'resetchannels', 'off', '-@all']) applyAclRule(u, r);
    u.commandRules = ['-@all'];
  } else if (lower === 'allcommands' || lower === 'nocommands') {
    const allow = lower === 'allcommands';
    u.commandRules.push(rule);
    touch(u, allow, rule, () => true);
  } else if (/^[+-]/.test(rule)) {
    const allow = rule.startsWith('+');
    const body = lower.slice(1);
    if (body.startsWith('@')) {
      const cat = body.slice(1);
      if (!ACL_CATEGORIES.has(cat)) return `Unknown command or category name in ACL: ${rule}`;
      touch(u, allow, rule, (p) => cat === 'all' || p.categories.includes(cat));
    } else if (body === '') return `Syntax error in ACL rule ${JSON.stringify(rule)}`;
    else {
      const [cmd, sub] = body.split('|');
      touch(u, allow, rule, (p) => p.command === cmd && (sub === undefined || p.sub === sub));
    }
    u.commandRules.push(rule);
  } else return `Syntax error in ACL rule ${JSON.stringify(redactAclRule(rule))}`;
  return null;
}

/** Whether the user may run the command (any probe allowed); null when selectors make it unknowable offline. */
export function commandAllowed(u: AclUserModel, cmd: DangerousCommand): { allowed: boolean | null; rule: string } {
  const decided = COMMAND_PROBES.filter((p) => p.command === cmd).map((p) => u.perms[probeKey(p)]!);
  const allowed = decided.find((d) => d.allowed);
  if (allowed) return { allowed: true, rule: allowed.rule };
  if (u.selectors) return { allowed: null, rule: 'selectors (…) present: their permissions are not modelled offline' };
  return { allowed: false, rule: decided[decided.length - 1]?.rule ?? '' };
}

/** +@all (or allcommands) with nothing taken away afterwards. */
export function hasAllCommands(u: AclUserModel): boolean {
  const last = u.commandRules.map((r) => r.toLowerCase()).lastIndexOf('+@all');
  const lastAll = Math.max(last, u.commandRules.map((r) => r.toLowerCase()).lastIndexOf('allcommands'));
  return lastAll >= 0 && u.commandRules.slice(lastAll + 1).every((r) => r.startsWith('+'));
}

export function hasAllKeys(u: AclUserModel): boolean {
  return u.keyRules.some((r) => r === '~*' || r.toLowerCase() === 'allkeys' || /^%(RW|WR)~\*$/i.test(r));
}

export interface AclFileEntry {
  line: number;
  name: string;
  rules: string[];
}

/**
 * An aclfile (ACLLoadFromFile, Redis 7.0): one `user NAME rules…` per line; empty lines skipped;
 * anything else (a `#` comment too) is an error that aborts the start. A user defined twice is an error.
 */
export function parseAclFile(
  text: string,
  path: string,
): { users: AclFileEntry[]; errors: { path: string; line: number; message: string }[] } {
  const users: AclFileEntry[] = [];
  const errors: { path: string; line: number; message: string }[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '') continue;
    const split = splitArgs(line);
    const args = split ? mergeSelectors(split) : [];
    if (args[0] !== 'user' || args.length < 2) {
      errors.push({ path, line: i + 1, message: 'should start with user keyword followed by the username' });
      continue;
    }
    const name = args[1]!;
    if (users.some((u) => u.name === name)) {
      errors.push({ path, line: i + 1, message: `duplicate user '${name}' found` });
      continue;
    }
    users.push({ line: i + 1, name, rules: args.slice(2) });
  }
  return { users, errors };
}

/** Builds a user from its rules; the first rule Redis refuses is returned as an error. */
export function buildAclUser(name: string, rules: readonly string[], base?: AclUserModel): { user: AclUserModel; error: string | null } {
  const user = base ?? newAclUser(name);
  for (const r of rules) {
    const e = applyAclRule(user, r);
    if (e) return { user, error: e };
  }
  return { user, error: null };
}

/** `ACL LIST` lines ("user NAME rules…"), hashed passwords included: parsed, never kept. */
export function parseAclList(lines: readonly string[]): AclUserModel[] {
  const out: AclUserModel[] = [];
  for (const l of lines) {
    const args = mergeSelectors(l.trim().split(/\s+/));
    if (args[0] !== 'user' || !args[1]) continue;
    out.push(buildAclUser(args[1], args.slice(2)).user);
  }
  return out;
}

/** Joins "(~k* +get)" split on spaces back into one selector argument (ACLMergeSelectorArguments). */
export function mergeSelectors(args: readonly string[]): string[] {
  const out: string[] = [];
  let open: string | null = null;
  for (const a of args) {
    if (open !== null) {
      open += ` ${a}`;
      if (a.endsWith(')')) {
        out.push(open);
        open = null;
      }
    } else if (a.startsWith('(') && !a.endsWith(')')) open = a;
    else out.push(a);
  }
  if (open !== null) out.push(open);
  return out;
}
