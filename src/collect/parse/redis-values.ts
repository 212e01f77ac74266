// The value rules of Redis 7.0's configuration table (config.c standardConfig types: bool, enum,
// numeric with bounds and INTEGER/MEMORY/OCTAL/PERCENT parsing, strings with validators, the special
// options), checked against redis-server 7.0.15 (Debian 12) by test/redis/agree.test.ts. A value Redis
// rejects stops the server at start ("FATAL CONFIG FILE ERROR"): validateRedisValue says why.

type Rule =
  | { t: 'bool' }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'int'; min: number | bigint; max: number | bigint; memory?: boolean; percent?: boolean; octal?: boolean }
  | { t: 'string'; check?: (v: string) => string | null }
  | { t: 'special'; check: (args: readonly string[]) => string | null };

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const UINT_MAX = 4294967295;
const LONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;

const bool = (): Rule => ({ t: 'bool' });
const en = (...values: string[]): Rule => ({ t: 'enum', values });
const int = (min: number | bigint, max: number | bigint, more: { memory?: boolean; percent?: boolean; octal?: boolean } = {}): Rule => ({
  t: 'int',
  min,
  max,
  ...more,
});
const mem = (min: number | bigint, max: number | bigint): Rule => int(min, max, { memory: true });
const str = (check?: (v: string) => string | null): Rule => (check ? { t: 'string', check } : { t: 'string' });
const special = (check: (args: readonly string[]) => string | null): Rule => ({ t: 'special', check });

const notPath = (what: string) => (v: string) => (v.includes('/') ? `${what} can't be a path, just a filename` : null);
const PROTECTED = en('no', 'yes', 'local');

/** Aliases (config.c: the second name of an entry) → the option they set. */
export const REDIS_ALIASES: Readonly<Record<string, string>> = {
  'cluster-slave-no-failover': 'cluster-replica-no-failover',
  'slave-lazy-flush': 'replica-lazy-flush',
  'slave-serve-stale-data': 'replica-serve-stale-data',
  'slave-read-only': 'replica-read-only',
  'slave-ignore-maxmemory': 'replica-ignore-maxmemory',
  'slave-announce-ip': 'replica-announce-ip',
  'cluster-slave-validity-factor': 'cluster-replica-validity-factor',
  'list-max-ziplist-size': 'list-max-listpack-size',
  'slave-priority': 'replica-priority',
  'slave-announce-port': 'replica-announce-port',
  'repl-ping-slave-period': 'repl-ping-replica-period',
  'min-slaves-to-write': 'min-replicas-to-write',
  'min-slaves-max-lag': 'min-replicas-max-lag',
  'lua-time-limit': 'busy-reply-threshold',
  'hash-max-ziplist-entries': 'hash-max-listpack-entries',
  'zset-max-ziplist-entries': 'zset-max-listpack-entries',
  'hash-max-ziplist-value': 'hash-max-listpack-value',
  'zset-max-ziplist-value': 'zset-max-listpack-value',
  slaveof: 'replicaof',
};

/** Accepted and ignored (config.c deprecated_configs), with exactly one argument. */
export const REDIS_DEPRECATED: ReadonlySet<string> = new Set([
  'list-max-ziplist-entries',
  'list-max-ziplist-value',
  'lua-replicate-commands',
]);

const KEYSPACE_EVENTS = 'Ag$lshzxeKEtmdn';
const CLIENT_CLASSES = new Set(['normal', 'slave', 'replica', 'pubsub']);

function checkSave(args: readonly string[]): string | null {
  if (args.length === 1 && args[0] === '') return null;
  if (args.length % 2 !== 0) return 'Invalid save parameters';
  // Seconds at least 1, changes at least 0 (strtoll: leading zeros allowed).
  for (const [i, a] of args.entries()) if (!/^[-+]?\d+$/.test(a) || Number(a) < (i % 2 === 0 ? 1 : 0)) return 'Invalid save parameters';
  return null;
}

function checkClientOutputBufferLimit(args: readonly string[]): string | null {
  if (args.length % 4 !== 0) return 'Wrong number of arguments in buffer limit configuration.';
  for (let j = 0; j < args.length; j += 4) {
    if (!CLIENT_CLASSES.has(args[j]!.toLowerCase())) return 'Invalid client class specified in buffer limit configuration.';
    if (parseMemory(args[j + 1]!) === null || parseMemory(args[j + 2]!) === null || !/^\d+$/.test(args[j + 3]!))
      return 'Error in hard, soft or soft_seconds setting in buffer limit configuration.';
  }
  return null;
}

function checkOomValues(args: readonly string[]): string | null {
  if (args.length !== 3) return 'wrong number of arguments';
  for (const a of args) {
    const n = parseInteger(a);
    if (n === null || n < -2000n || n > 2000n) return 'Invalid oom-score-adj-values';
  }
  return null;
}

function checkReplicaof(args: readonly string[]): string | null {
  if (args.length !== 2) return 'wrong number of arguments';
  if (args[0]!.toLowerCase() === 'no' && args[1]!.toLowerCase() === 'one') return null;
  const p = parseInteger(args[1]!);
  return p === null || p < 0n || p > 65535n ? 'Invalid master port' : null;
}

function checkPercentiles(args: readonly string[]): string | null {
  if (args.length === 1 && args[0] === '') return null;
  for (const a of args) {
    if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(a)) return 'Invalid latency-tracking-info-percentiles parameters';
    const v = Number(a);
    if (v < 0 || v > 100) return 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]';
  }
  return null;
}

function checkProcTitle(v: string): string | null {
  // isValidProcTitleTemplate: balanced {} around the known variables.
  const vars = new Set(['title', 'listen-addr', 'server-mode', 'port', 'tls-port', 'unixsocket', 'config-file']);
  let rest = v;
  for (;;) {
    const open = rest.indexOf('{');
    const close = rest.indexOf('}');
    if (open < 0 && close < 0) return null;
    if (close >= 0 && (open < 0 || close < open)) return 'template format is invalid or contains unknown variables';
    const end = rest.indexOf('}', open);
    if (end < 0 || !vars.has(rest.slice(open + 1, end))) return 'template format is invalid or contains unknown variables';
    rest = rest.slice(end + 1);
  }
}

const RULES: Record<string, Rule> = {
  // bool
  ...Object.fromEntries(
    (
      'rdbchecksum daemonize io-threads-do-reads always-show-logo protected-mode rdbcompression rdb-del-sync-files activerehashing ' +
      'stop-writes-on-bgsave-error set-proc-title dynamic-hz lazyfree-lazy-eviction lazyfree-lazy-expire lazyfree-lazy-server-del ' +
      'lazyfree-lazy-user-del lazyfree-lazy-user-flush repl-disable-tcp-nodelay repl-diskless-sync aof-rewrite-incremental-fsync ' +
      'no-appendfsync-on-rewrite cluster-require-full-coverage rdb-save-incremental-fsync aof-load-truncated aof-use-rdb-preamble ' +
      'aof-timestamp-enabled cluster-replica-no-failover replica-lazy-flush replica-serve-stale-data replica-read-only ' +
      'replica-ignore-maxmemory jemalloc-bg-thread syslog-enabled cluster-enabled appendonly cluster-allow-reads-when-down ' +
      'cluster-allow-pubsubshard-when-down crash-log-enabled crash-memcheck-enabled use-exit-on-panic disable-thp ' +
      'cluster-allow-replica-migration replica-announced latency-tracking aof-disable-auto-gc replica-ignore-disk-write-errors ' +
      'tls-cluster tls-replication tls-prefer-server-ciphers tls-session-caching'
    )
      .split(' ')
      .map((n) => [n, bool()]),
  ),
  // isValidActiveDefrag: Debian's redis-server 7.0.15 says "Active defragmentation cannot be enabled" to yes.
  activedefrag: en('no'),
  // strings
  ...Object.fromEntries(
    (
      'aclfile unixsocket pidfile replica-announce-ip masteruser cluster-announce-ip cluster-config-file syslog-ident server_cpulist ' +
      'bio_cpulist aof_rewrite_cpulist bgsave_cpulist ignore-warnings bind-source-addr logfile masterauth requirepass tls-cert-file ' +
      'tls-key-file tls-key-file-pass tls-client-cert-file tls-client-key-file tls-client-key-file-pass tls-dh-params-file ' +
      'tls-ca-cert-file tls-ca-cert-dir tls-protocols tls-ciphers tls-ciphersuites'
    )
      .split(' ')
      .map((n) => [n, str()]),
  ),
  'cluster-announce-hostname': str((v) =>
    /^[A-Za-z0-9.-]*$/.test(v) ? null : 'Hostnames must be less than 256 characters and only contain alphanumeric characters, - or .',
  ),
  dbfilename: str(notPath('dbfilename')),
  appendfilename: str(notPath('appendfilename')),
  appenddirname: str(notPath('appenddirname')),
  'proc-title-template': str(checkProcTitle),
  // enums
  supervised: en('upstart', 'systemd', 'auto', 'no'),
  'syslog-facility': en('user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'),
  'repl-diskless-load': en('disabled', 'on-empty-db', 'swapdb'),
  loglevel: en('debug', 'verbose', 'notice', 'warning'),
  'maxmemory-policy': en(
    'volatile-lru',
    'volatile-lfu',
    'volatile-random',
    'volatile-ttl',
    'allkeys-lru',
    'allkeys-lfu',
    'allkeys-random',
    'noeviction',
  ),
  appendfsync: en('everysec', 'always', 'no'),
  'oom-score-adj': en('no', 'yes', 'relative', 'absolute'),
  'acl-pubsub-default': en('allchannels', 'resetchannels'),
  'sanitize-dump-payload': en('no', 'yes', 'clients'),
  'enable-protected-configs': PROTECTED,
  'enable-debug-command': PROTECTED,
  'enable-module-command': PROTECTED,
  'cluster-preferred-endpoint-type': en('ip', 'hostname', 'unknown-endpoint'),
  'propagation-error-behavior': en('ignore', 'panic', 'panic-on-replicas'),
  'tls-auth-clients': en('no', 'yes', 'optional'),
  // numeric
  databases: int(1, INT_MAX),
  port: int(0, 65535),
  'tls-port': int(0, 65535),
  'io-threads': int(1, 128),
  'auto-aof-rewrite-percentage': int(0, INT_MAX),
  'cluster-replica-validity-factor': int(0, INT_MAX),
  'list-max-listpack-size': int(INT_MIN, INT_MAX),
  'tcp-keepalive': int(0, INT_MAX),
  'cluster-migration-barrier': int(0, INT_MAX),
  'active-defrag-cycle-min': int(1, 99),
  'active-defrag-cycle-max': int(1, 99),
  'active-defrag-threshold-lower': int(0, 1000),
  'active-defrag-threshold-upper': int(0, 1000),
  'lfu-log-factor': int(0, INT_MAX),
  'lfu-decay-time': int(0, INT_MAX),
  'replica-priority': int(0, INT_MAX),
  'repl-diskless-sync-delay': int(0, INT_MAX),
  'maxmemory-samples': int(1, INT_MAX),
  'maxmemory-eviction-tenacity': int(0, 100),
  timeout: int(0, INT_MAX),
  'replica-announce-port': int(0, 65535),
  'tcp-backlog': int(0, INT_MAX),
  'cluster-port': int(0, 65535),
  'cluster-announce-bus-port': int(0, 65535),
  'cluster-announce-port': int(0, 65535),
  'cluster-announce-tls-port': int(0, 65535),
  'repl-timeout': int(1, INT_MAX),
  'repl-ping-replica-period': int(1, INT_MAX),
  'list-compress-depth': int(0, INT_MAX),
  'rdb-key-save-delay': int(INT_MIN, INT_MAX),
  'key-load-delay': int(INT_MIN, INT_MAX),
  'active-expire-effort': int(1, 10),
  hz: int(0, INT_MAX),
  'min-replicas-to-write': int(0, INT_MAX),
  'min-replicas-max-lag': int(0, INT_MAX),
  'watchdog-period': int(0, INT_MAX),
  'shutdown-timeout': int(0, INT_MAX),
  'repl-diskless-sync-max-replicas': int(0, INT_MAX),
  'tls-session-cache-size': int(0, INT_MAX),
  'tls-session-cache-timeout': int(0, INT_MAX),
  maxclients: int(1, UINT_MAX),
  'socket-mark-id': int(0, UINT_MAX),
  unixsocketperm: int(0, 0o777, { octal: true }),
  'active-defrag-max-scan-fields': int(1, LONG_MAX),
  'slowlog-max-len': int(0, LONG_MAX),
  'acllog-max-len': int(0, LONG_MAX),
  'busy-reply-threshold': int(0, LONG_MAX),
  'cluster-node-timeout': int(0, LONG_MAX),
  'slowlog-log-slower-than': int(-1, LONG_MAX),
  'latency-monitor-threshold': int(0, LONG_MAX),
  'proto-max-bulk-len': mem(1024 * 1024, LONG_MAX),
  'stream-node-max-entries': int(0, LONG_MAX),
  'repl-backlog-size': mem(1, LONG_MAX),
  maxmemory: mem(0, ULLONG_MAX),
  'cluster-link-sendbuf-limit': mem(0, ULLONG_MAX),
  'hash-max-listpack-entries': int(0, LONG_MAX),
  'set-max-intset-entries': int(0, LONG_MAX),
  'zset-max-listpack-entries': int(0, LONG_MAX),
  'active-defrag-ignore-bytes': mem(1, LONG_MAX),
  'hash-max-listpack-value': mem(0, LONG_MAX),
  'stream-node-max-bytes': mem(0, LONG_MAX),
  'zset-max-listpack-value': mem(0, LONG_MAX),
  'hll-sparse-max-bytes': mem(0, LONG_MAX),
  'tracking-table-max-keys': int(0, LONG_MAX),
  'client-query-buffer-limit': mem(1024 * 1024, LONG_MAX),
  'maxmemory-clients': int(-100, LONG_MAX, { memory: true, percent: true }),
  'repl-backlog-ttl': int(0, LONG_MAX),
  'auto-aof-rewrite-min-size': mem(0, LONG_MAX),
  'loading-process-events-interval-bytes': int(1024, INT_MAX),
  // special
  dir: special((a) => (a.length === 1 ? null : 'wrong number of arguments')),
  save: special(checkSave),
  'client-output-buffer-limit': special(checkClientOutputBufferLimit),
  'oom-score-adj-values': special(checkOomValues),
  'notify-keyspace-events': special((a) =>
    a.length === 1 && [...a[0]!].every((c) => KEYSPACE_EVENTS.includes(c))
      ? null
      : `Invalid event class character. Use '${KEYSPACE_EVENTS}'.`,
  ),
  bind: special((a) => (a.length > 16 ? 'Too many bind addresses specified.' : null)),
  replicaof: special(checkReplicaof),
  'latency-tracking-info-percentiles': special(checkPercentiles),
  'shutdown-on-sigint': special(checkShutdownFlags),
  'shutdown-on-sigterm': special(checkShutdownFlags),
};

function checkShutdownFlags(args: readonly string[]): string | null {
  const words = args.flatMap((a) => a.split(' ')).filter(Boolean);
  if (words.length === 0) return 'argument(s) must be one of the following: default, save, nosave, now, force';
  const ok = new Set(['default', 'save', 'nosave', 'now', 'force']);
  return words.every((w) => ok.has(w.toLowerCase())) ? null : 'argument(s) must be one of the following: default, save, nosave, now, force';
}

/** The option names redis-server 7.0 knows (canonical names and aliases, hidden ones included). */
export const REDIS_OPTION_NAMES: ReadonlySet<string> = new Set([...Object.keys(RULES), ...Object.keys(REDIS_ALIASES)]);

export const canonicalRedisName = (name: string): string => REDIS_ALIASES[name] ?? name;

/** string2ll: an optional "-", no "+", no leading zero, no spaces. */
export function parseInteger(s: string): bigint | null {
  if (!/^(0|-?[1-9]\d*)$/.test(s)) return null;
  return BigInt(s);
}

const UNITS: Record<string, bigint> = {
  '': 1n,
  b: 1n,
  k: 1000n,
  kb: 1024n,
  m: 1000n ** 2n,
  mb: 1024n ** 2n,
  g: 1000n ** 3n,
  gb: 1024n ** 3n,
};

/** memtoull: digits (leading zeros allowed, "" is 0) and an optional b/k/kb/m/mb/g/gb, any case. */
export function parseMemory(s: string): bigint | null {
  const m = /^(\d*)([a-zA-Z]*)$/.exec(s);
  if (!m) return null;
  const unit = UNITS[m[2]!.toLowerCase()];
  if (unit === undefined) return null;
  const n = BigInt(m[1] === '' ? '0' : m[1]!) * unit;
  return n > ULLONG_MAX ? ULLONG_MAX : n;
}

/** Why Redis 7.0 refuses these arguments for the option (argc already checked), or null. */
export function validateRedisValue(name: string, args: readonly string[]): string | null {
  const rule = RULES[canonicalRedisName(name)];
  if (!rule) return null;
  const v = args[0] ?? '';
  switch (rule.t) {
    case 'bool':
      return /^(yes|no)$/i.test(v) ? null : "argument must be 'yes' or 'no'";
    case 'enum':
      return rule.values.includes(v.toLowerCase()) ? null : `argument(s) must be one of the following: ${rule.values.join(', ')}`;
    case 'string':
      return rule.check ? rule.check(v) : null;
    case 'special':
      return rule.check(args);
    case 'int': {
      let n: bigint | null;
      if (rule.percent && v.endsWith('%')) {
        const p = parseInteger(v.slice(0, -1));
        if (p === null || p < 0n) return 'argument must be a memory or percent value';
        if (p > 100n) return 'percentage argument must be less or equal to 100';
        return null;
      }
      if (rule.octal) n = /^[0-7]+$/.test(v) ? BigInt(parseInt(v, 8)) : null;
      else n = rule.memory ? parseMemory(v) : parseInteger(v);
      if (n === null)
        return rule.octal
          ? "argument couldn't be parsed as an octal number"
          : rule.memory
            ? rule.percent
              ? 'argument must be a memory or percent value'
              : 'argument must be a memory value'
            : "argument couldn't be parsed into an integer";
      if (n < BigInt(rule.min) || n > BigInt(rule.max)) return `argument must be between ${rule.min} and ${rule.max} inclusive`;
      return null;
    }
  }
}

/** The value CONFIG GET shows for a boolean or enum option (lower case), else the argument as written. */
export function normalRedisValue(name: string, v: string): string {
  const rule = RULES[canonicalRedisName(name)];
  return rule && (rule.t === 'bool' || rule.t === 'enum') ? v.toLowerCase() : v;
}

/** Top-level commands of redis-server 7.0.15 (COMMAND LIST without subcommands): rename-command needs one of them. */
export const REDIS_COMMANDS: ReadonlySet<string> = new Set(
  (
    'acl append asking auth bgrewriteaof bgsave bitcount bitfield bitfield_ro bitop bitpos blmove blmpop blpop brpop brpoplpush bzmpop bzpopmax ' +
    'bzpopmin client cluster command config copy dbsize debug decr decrby del discard dump echo eval eval_ro evalsha evalsha_ro exec exists ' +
    'expire expireat expiretime failover fcall fcall_ro flushall flushdb function geoadd geodist geohash geopos georadius georadius_ro ' +
    'georadiusbymember georadiusbymember_ro geosearch geosearchstore get getbit getdel getex getrange getset hdel hello hexists hget hgetall ' +
    'hincrby hincrbyfloat hkeys hlen hmget hmset hrandfield hscan hset hsetnx hstrlen hvals incr incrby incrbyfloat info keys lastsave latency ' +
    'lcs lindex linsert llen lmove lmpop lolwut lpop lpos lpush lpushx lrange lrem lset ltrim memory mget migrate module monitor move mset ' +
    'msetnx multi object persist pexpire pexpireat pexpiretime pfadd pfcount pfdebug pfmerge pfselftest ping psetex psubscribe psync pttl ' +
    'publish pubsub punsubscribe quit randomkey readonly readwrite rename renamenx replconf replicaof reset restore restore-asking role rpop ' +
    'rpoplpush rpush rpushx sadd save scan scard script sdiff sdiffstore select set setbit setex setnx setrange shutdown sinter sintercard ' +
    'sinterstore sismember slaveof slowlog smembers smismember smove sort sort_ro spop spublish srandmember srem sscan ssubscribe strlen ' +
    'subscribe substr sunion sunionstore sunsubscribe swapdb sync time touch ttl type unlink unsubscribe unwatch wait watch xack xadd ' +
    'xautoclaim xclaim xdel xgroup xinfo xlen xpending xrange xread xreadgroup xrevrange xsetid xtrim zadd zcard zcount zdiff zdiffstore ' +
    'zincrby zinter zintercard zinterstore zlexcount zmpop zmscore zpopmax zpopmin zrandmember zrange zrangebylex zrangebyscore ' +
    'zrangestore zrank zrem zremrangebylex zremrangebyrank zremrangebyscore zrevrange zrevrangebylex zrevrangebyscore zrevrank zscan ' +
    'zscore zunion zunionstore'
  ).split(' '),
);
