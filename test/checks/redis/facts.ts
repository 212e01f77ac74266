import type {
  RedisAclUser,
  RedisDangerousCommand,
  RedisFacts,
  RedisInstance,
  RedisPermission,
  RedisSecret,
} from '../../../src/facts/redis.js';

const CONF = '/etc/redis/redis.conf';
export const at = (line: number) => ({ path: CONF, line });
export const strong: RedisSecret = { kind: 'plain', lengthClass: '16-31', score: 4, dictionaryWord: false, warning: null, strong: true };
export const weak: RedisSecret = {
  kind: 'plain',
  lengthClass: '16-31',
  score: 0,
  dictionaryWord: true,
  warning: 'This is similar to a commonly used password.',
  strong: false,
};
export const hashed: RedisSecret = { kind: 'hashed', lengthClass: null, score: null, dictionaryWord: null, warning: null, strong: null };

const CMDS: RedisDangerousCommand[] = ['flushdb', 'flushall', 'config', 'debug', 'keys', 'shutdown', 'module'];
export function perms(allowed: boolean | null, how = allowed ? '+@all' : '-@dangerous'): Record<RedisDangerousCommand, RedisPermission> {
  return Object.fromEntries(CMDS.map((c) => [c, { allowed, how, source: at(200) }])) as Record<RedisDangerousCommand, RedisPermission>;
}

export function user(over: Partial<RedisAclUser> = {}): RedisAclUser {
  return {
    name: 'app',
    enabled: true,
    nopass: false,
    passwords: [strong],
    allCommands: false,
    allKeys: false,
    commandRules: '+@all -@dangerous',
    keyRules: '~app:*',
    dangerous: perms(false),
    source: at(201),
    ...over,
  };
}

/** The Debian 12 package default plus a strong requirepass; override what a case needs. */
export function instance(over: Partial<RedisInstance> = {}): RedisInstance {
  return {
    name: CONF,
    configPath: CONF,
    discovery: [{ path: CONF }],
    process: null,
    config: { status: 'ok' },
    files: [CONF],
    effectiveFrom: 'files',
    auth: {
      defaultEnabled: true,
      defaultNopass: false,
      passwords: [strong],
      source: at(1040),
      requirepass: { value: true, source: at(1040) },
    },
    acl: { kind: 'builtin', source: { note: 'no users' }, aclfile: null },
    users: [
      user({
        name: 'default',
        allCommands: true,
        allKeys: true,
        commandRules: '+@all',
        keyRules: '~*',
        dangerous: perms(true),
        source: at(1040),
      }),
    ],
    bind: { value: ['127.0.0.1', '-::1'], source: at(87), defaulted: false },
    protectedMode: { value: 'yes', source: at(111) },
    port: { value: 6379, source: at(138) },
    tlsPort: { value: 0, source: { path: CONF, note: 'default tls-port 0' } },
    tlsCertFile: { value: null, source: { note: 'not set' }, file: null },
    tlsKeyFile: { value: null, source: { note: 'not set' }, file: null },
    renamed: {},
    enableDebug: { value: 'no', source: { path: CONF, note: 'default' } },
    enableModule: { value: 'no', source: { path: CONF, note: 'default' } },
    live: {
      state: 'offline',
      detail: 'offline',
      endpoint: null,
      tls: false,
      credential: { kind: 'none', user: null, source: { note: 'x' }, secret: null },
      unauthenticated: { refused: null, reply: '', source: { note: 'x' } },
      whoami: null,
      version: null,
      configGet: { state: 'not-tried', detail: '' },
      aclList: { state: 'not-tried', detail: '' },
      dryrun: { state: 'not-tried', detail: '' },
    },
    drift: [],
    ...over,
  };
}

export const facts = (...instances: RedisInstance[]): RedisFacts => ({
  installed: true,
  installedEvidence: { path: '/usr/bin/redis-server' },
  instances,
});
export const liveOk = (over: Partial<RedisInstance['live']> = {}): RedisInstance['live'] => ({
  ...instance().live,
  state: 'ok',
  detail: 'connected',
  endpoint: 'redis://127.0.0.1:6379',
  unauthenticated: { refused: true, reply: 'NOAUTH Authentication required.', source: { command: 'redis PING' } },
  configGet: { state: 'ok', detail: '' },
  ...over,
});
export const invalid: Partial<RedisInstance> = {
  config: { status: 'invalid', reason: 'Unbalanced quotes in configuration line', source: at(3) },
};
