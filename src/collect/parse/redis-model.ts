// The effective configuration of a Redis 7.0 server from its directives (includes already expanded in
// order): the last line wins for every option (a multi-argument option like bind replaces the earlier
// line), rename-command and user accumulate. Users: the built-in default user, requirepass on it,
// then the `user` directives (ACLLoadConfiguredUsers, after the whole file, so `user default` beats
// requirepass wherever it stands) or the aclfile (ACLLoadFromFile: a default user missing from the
// file is the built-in one, on nopass +@all, and requirepass is lost).
import type { Source } from '../../facts/evidence.js';
import {
  buildAclUser,
  builtinDefaultUser,
  newAclUser,
  type AclFileEntry,
  type AclUserModel,
  type DangerousCommand,
  DANGEROUS_COMMANDS,
} from './redis-acl.js';
import { redactedExcerpt, type RedisDirective } from './redis-config.js';
import { REDIS_COMMANDS } from './redis-values.js';

/** Redis 7.0 defaults for the options the checks read (config.c standardConfig table). */
export const REDIS_DEFAULTS = {
  bind: { value: ['*', '-::*'], note: 'Redis 7.0 default when bind is absent: bind * -::* (every interface)' },
  'protected-mode': { value: 'yes', note: 'Redis 7.0 default protected-mode yes' },
  port: { value: '6379', note: 'Redis 7.0 default port 6379' },
  'tls-port': { value: '0', note: 'Redis 7.0 default tls-port 0 (TLS off)' },
  'enable-debug-command': { value: 'no', note: 'Redis 7.0 default enable-debug-command no (DEBUG refused)' },
  'enable-module-command': { value: 'no', note: 'Redis 7.0 default enable-module-command no (MODULE refused)' },
} as const;

export const sourceOf = (d: RedisDirective): Source => ({ path: d.path, line: d.line, excerpt: redactedExcerpt(d) });

export interface ModelUser {
  user: AclUserModel;
  source: Source;
}

export interface RedisModel {
  /** The last directive per option name. */
  last: Map<string, RedisDirective>;
  renamed: Partial<Record<DangerousCommand, { to: 'removed' | 'renamed'; source: Source }>>;
  /** In memory only: the requirepass value. */
  requirepass: { value: string; source: Source } | null;
  configUsers: RedisDirective[];
  /** loadmodule lines, in order. */
  modules: RedisDirective[];
  errors: { message: string; source: Source }[];
}

export function buildModel(directives: readonly RedisDirective[]): RedisModel {
  const last = new Map<string, RedisDirective>();
  const renamed: RedisModel['renamed'] = {};
  const configUsers: RedisDirective[] = [];
  const modules: RedisDirective[] = [];
  const errors: RedisModel['errors'] = [];
  /** Current command name → original name, so `rename-command CONFIG x` then `rename-command x ""` is followed. */
  const current = new Map<string, string>([...REDIS_COMMANDS].map((c) => [c, c]));
  const dangerous = new Set<string>(DANGEROUS_COMMANDS);
  for (const d of directives) {
    if (d.name === 'rename-command') {
      const from = d.args[0]!.toLowerCase();
      const to = d.args[1]!;
      const orig = current.get(from);
      // config.c: the command must exist (under its current name) and the new name must be free.
      if (orig === undefined) {
        errors.push({ message: `No such command in rename-command (${JSON.stringify(d.args[0])})`, source: sourceOf(d) });
        continue;
      }
      current.delete(from);
      if (to !== '' && current.has(to.toLowerCase())) {
        errors.push({ message: 'Target command name already exists', source: sourceOf(d) });
        continue;
      }
      if (to !== '') current.set(to.toLowerCase(), orig);
      if (dangerous.has(orig)) renamed[orig as DangerousCommand] = { to: to === '' ? 'removed' : 'renamed', source: sourceOf(d) };
    } else if (d.name === 'user') {
      if (configUsers.some((u) => u.args[0] === d.args[0]))
        errors.push({ message: `Error in user declaration '${d.args[0]}': Duplicate user found`, source: sourceOf(d) });
      else configUsers.push(d);
    } else if (d.name === 'loadmodule') modules.push(d);
    else if (d.name !== 'include') last.set(d.name, d);
  }
  const rp = last.get('requirepass');
  return { last, renamed, requirepass: rp ? { value: rp.args[0] ?? '', source: sourceOf(rp) } : null, configUsers, modules, errors };
}

/** An option's effective value: the last line, else the default. */
export function setting(
  m: RedisModel,
  name: keyof typeof REDIS_DEFAULTS,
  file: string,
): { args: string[]; source: Source; defaulted: boolean } {
  const d = m.last.get(name);
  if (d) return { args: d.args, source: sourceOf(d), defaulted: false };
  const def = REDIS_DEFAULTS[name];
  return {
    args: typeof def.value === 'string' ? [def.value] : [...def.value],
    source: { path: file, note: `${name} is not set in ${file}: ${def.note}` },
    defaulted: true,
  };
}

export interface ResolvedAcl {
  kind: 'builtin' | 'config' | 'aclfile';
  users: ModelUser[];
  errors: { message: string; source: Source }[];
}

function defaultWithRequirepass(m: RedisModel, file: string): ModelUser {
  const u = builtinDefaultUser();
  if (!m.requirepass)
    return {
      user: u,
      source: { path: file, note: `no requirepass and no user default in ${file}: the built-in default user is on nopass ~* &* +@all` },
    };
  buildAclUser('default', m.requirepass.value === '' ? ['nopass'] : ['resetpass', `>${m.requirepass.value}`], u);
  return { user: u, source: m.requirepass.source };
}

/** The ACL users the server starts with; `aclfile` is the parsed file when the option is set. */
export function resolveAcl(m: RedisModel, aclfile: { path: string; entries: AclFileEntry[] } | null, file: string): ResolvedAcl {
  const errors = [...m.errors];
  if (aclfile && m.configUsers.length > 0) {
    const d = m.configUsers[0]!;
    errors.push({
      message: 'Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid',
      source: sourceOf(d),
    });
  }
  if (aclfile) {
    const users: ModelUser[] = [];
    for (const e of aclfile.entries) {
      const r = buildAclUser(e.name, e.rules, newAclUser(e.name));
      const source: Source = { path: aclfile.path, line: e.line, excerpt: `user ${e.name} …` };
      if (r.error) errors.push({ message: `${aclfile.path}:${e.line}: ${r.error}`, source });
      users.push({ user: r.user, source });
    }
    if (!users.some((u) => u.user.name === 'default')) {
      const note = m.requirepass
        ? `${aclfile.path} does not define the default user: Redis makes it on nopass +@all and requirepass (${m.requirepass.source.path ?? ''}:${m.requirepass.source.line ?? ''}) is ignored`
        : `${aclfile.path} does not define the default user: Redis makes it on nopass ~* &* +@all`;
      users.unshift({ user: builtinDefaultUser(), source: { path: aclfile.path, note } });
    }
    return { kind: 'aclfile', users, errors };
  }
  const def = defaultWithRequirepass(m, file);
  const users: ModelUser[] = [def];
  for (const d of m.configUsers) {
    const name = d.args[0]!;
    const base = name === 'default' ? def.user : newAclUser(name);
    if (name === 'default') buildAclUser(name, ['reset'], base);
    const r = buildAclUser(name, d.args.slice(1), base);
    if (r.error) errors.push({ message: `Error in user declaration '${name}': ${r.error}`, source: sourceOf(d) });
    if (name === 'default') def.source = sourceOf(d);
    else users.push({ user: r.user, source: sourceOf(d) });
  }
  return { kind: m.configUsers.length > 0 ? 'config' : 'builtin', users, errors };
}
