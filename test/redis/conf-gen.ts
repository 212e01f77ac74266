// Seeded generator of redis.conf variants for the agreement harness (test/redis/agree.test.ts and
// bench/agree-redis.ts): Debian 12's redis.conf (the redis-server package file) made runnable in a temp
// dir, then mutated — valid and invalid values, unknown directives, duplicates, include files and
// globs, quoting, memory units, booleans in every spelling, NUL bytes and a BOM, CRLF, long lines.
// Placeholders the harness replaces: @DIR@ (the case directory), @PORT@, @TLSPORT@, @CERTS@.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from '../rng.js';

export const DEBIAN_REDIS_CONF = join(
  import.meta.dirname,
  '..',
  'fixtures',
  'redis',
  'debian12-default',
  'root',
  'etc',
  'redis',
  'redis.conf',
);

/** The probe user the harness logs in with (always defined, so the real values can be read). */
export const PROBE_USER = 'rampart-probe';
export const PROBE_PASS = 'Pr0be-9fK#2mQ!x7Lr@4Zt';
export const STRONG_PASS = 'Vq2!zR7@wLp4$Xn9&k8#Tb';

export interface RedisGenCase {
  name: string;
  /** Relative path → content (latin1 string: one character per byte). */
  files: Record<string, string>;
  main: string;
  /** The name CONFIG answers to (null: removed). */
  configCommand: string | null;
  mutations: string[];
}

/** The Debian file made runnable here: own dir, log, pid, socket, port; no daemon. */
export function runnableBase(): string[] {
  const text = readFileSync(DEBIAN_REDIS_CONF, 'latin1');
  return text.split('\n').map((l) => {
    if (l === 'port 6379') return 'port @PORT@';
    if (l === '# unixsocket /run/redis/redis-server.sock') return 'unixsocket @DIR@/redis.sock';
    if (l === 'daemonize yes') return 'daemonize no';
    if (l.startsWith('pidfile ')) return 'pidfile @DIR@/redis.pid';
    if (l.startsWith('logfile ')) return 'logfile @DIR@/redis.log';
    if (l.startsWith('dir ')) return 'dir @DIR@';
    return l;
  });
}

type Pick = <T>(xs: readonly T[]) => T;

interface Mutation {
  label: string;
  lines: string[];
  /** Replace the base line of this directive instead of adding (when present). */
  replaces?: string;
  files?: Record<string, string>;
  configCommand?: string | null;
  crlf?: boolean;
  bom?: boolean;
}

/**
 * n mutations; with `bad` false only ones redis-server accepts are drawn (so that most cases run and
 * their values can be compared), with `bad` true invalid values and refused files too.
 */
function mutations(pick: Pick, r: () => number, n: number, bad: boolean): Mutation[] {
  const v = (name: string, good: readonly string[], wrong: readonly string[] = []): Mutation => {
    const x = bad && wrong.length && r() < 0.5 ? pick(wrong) : pick(good);
    return { label: `${name}=${x}`, lines: [`${name} ${x}`], replaces: name };
  };
  const B = (m: () => Mutation) => (bad ? m : null);
  const all: (null | (() => Mutation))[] = [
    () => v('protected-mode', ['yes', 'no', 'YES', 'No', '"yes"', "'no'"], ['maybe', '1', 'true', 'on', '""']),
    () => v('protected-mode', ['no', 'yes']),
    () =>
      v(
        'bind',
        [
          '127.0.0.1',
          '127.0.0.1 -::1',
          '-::1 127.0.0.1',
          '127.0.0.2',
          '"127.0.0.1 -::1"',
          '-10.255.255.1 127.0.0.1',
          '::1',
          "'127.0.0.1'",
          '* ::1',
          'localhost',
        ],
        ['127.0.0.1 127.0.0.1', '* 127.0.0.1', '-::1 ::1', '127.0.0.1 localhost', '-::* ::1'],
      ),
    B(() => ({
      label: 'tls-port = port',
      lines: ['tls-port @PORT@', 'tls-cert-file @CERTS@/cert.pem', 'tls-key-file @CERTS@/key.pem', 'tls-auth-clients no'],
    })),
    () => ({ label: 'bind removed', lines: [], replaces: 'bind' }),
    () => v('port', ['@PORT@', '0', '"@PORT@"'], ['-1', '65536', '0x10', '+5', '05', 'abc', '@PORT@ 1']),
    () => v('enable-debug-command', ['yes', 'no', 'local', 'LOCAL', 'Yes'], ['maybe', '1']),
    () => v('enable-module-command', ['yes', 'no', 'local'], ['nope']),
    () => v('requirepass', [`"${STRONG_PASS}"`, 'password', '""', 'foobared', `'${STRONG_PASS}'`]),
    () => v('maxmemory', ['1gb', '1GB', '100mb', '""', '10k', '2G', '01'], ['1.5gb', '"1 gb"', '-1', '1e3', '1tb']),
    () => v('timeout', ['0', '300'], ['-1', '00', '10s', '2147483648', '+1']),
    () => v('appendonly', ['no', 'NO', '"no"'], ['on', '1', 'true', 'off']),
    () => v('loglevel', ['notice', 'NOTICE', 'verbose', 'debug'], ['nothing', 'info']),
    () => v('databases', ['16', '1'], ['0', '1k']),
    () => v('save', ['""', '3600 1', '"3600 1 300 100"', '01 0'], ['3600', '0 1', '-5 1']),
    () => v('unixsocketperm', ['700', '0777'], ['999', '7777']),
    () => v('maxmemory-policy', ['noeviction', 'ALLKEYS-LRU'], ['lru']),
    () => v('hz', ['10', '0', '600'], ['-1']),
    () => v('tcp-keepalive', ['300'], ['1mb', '-5']),
    () => v('notify-keyspace-events', ['""', 'KEA'], ['Q']),
    () => v('slaveof', ['no one'], ['127.0.0.1 @PORT@x', 'localhost']),
    () => v('activedefrag', ['no'], ['yes']),
    () => v('repl-backlog-size', ['1mb', '1b'], ['0']),
    () => v('dbfilename', ['dump.rdb'], ['sub/dump.rdb']),
    () => v('logfile', ['@DIR@/redis.log', '""'], ['@DIR@/nope/redis.log']),
    () => v('dir', ['@DIR@'], ['@DIR@/missing']),
    B(() => ({
      label: 'unknown directive',
      lines: [pick(['protected_mode yes', 'bindd 127.0.0.1', 'maxmemoryy 1', 'requirepas x', 'module.option 1'])],
    })),
    () => ({
      label: 'duplicate protected-mode',
      lines: [`protected-mode ${pick(['yes', 'no'])}`, `protected-mode ${pick(['yes', 'no'])}`],
    }),
    () => ({ label: 'duplicate bind', lines: [`bind ${pick(['127.0.0.1', '127.0.0.2'])}`, `bind ${pick(['127.0.0.1 -::1', '-::1'])}`] }),
    () => ({ label: 'quoted name', lines: [`"protected-mode" ${pick(['no', 'yes'])}`] }),
    B(() => ({ label: 'unbalanced quote', lines: [`protected-mode "no`] })),
    B(() => ({ label: 'quote then text', lines: [`protected-mode "no"x`] })),
    () => ({ label: 'rename dangerous', lines: [`rename-command ${pick(['FLUSHALL', 'flushdb', 'KEYS', 'debug', 'shutdown'])} ""`] }),
    () => ({ label: 'rename config', lines: ['rename-command CONFIG rp-config'], configCommand: 'rp-config' }),
    () => ({ label: 'remove config', lines: ['rename-command config ""'], configCommand: null }),
    B(() => ({
      label: 'rename bad',
      lines: [
        pick([
          'rename-command nosuchcmd ""',
          'rename-command get set',
          'rename-command flushall ""\nrename-command flushall ""',
          'rename-command keys',
        ]),
      ],
    })),
    () => ({
      label: 'user default',
      lines: [
        `user default ${pick(['on nopass ~* &* +@all', 'off', `on >${STRONG_PASS} ~* &* +@all -@dangerous`, 'on >short ~* +@all', 'on nopass ~* +@all -flushall', 'on #0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef ~* +@all'])}`,
      ],
    }),
    B(() => ({ label: 'user bad rule', lines: ['user app on >App-3hW$8nB!c2Vp&6Jy ~app:* +@nosuchcategory'] })),
    B(() => ({ label: 'user duplicate', lines: [`user ${PROBE_USER} on >x ~* +@all`] })),
    () => ({
      label: 'tls ok',
      lines: ['tls-port @TLSPORT@', 'tls-cert-file @CERTS@/cert.pem', 'tls-key-file @CERTS@/key.pem', 'tls-ca-cert-file @CERTS@/cert.pem'],
    }),
    B(() => ({ label: 'tls no ca', lines: ['tls-port @TLSPORT@', 'tls-cert-file @CERTS@/cert.pem', 'tls-key-file @CERTS@/key.pem'] })),
    () => ({
      label: 'tls auth-clients no',
      lines: [
        'tls-port @TLSPORT@',
        'tls-cert-file @CERTS@/cert.pem',
        'tls-key-file @CERTS@/key.pem',
        `tls-auth-clients ${pick(['no', 'NO', 'optional'])}`,
      ],
    }),
    B(() => ({
      label: 'tls missing key',
      lines: ['tls-port @TLSPORT@', 'tls-cert-file @CERTS@/cert.pem', 'tls-ca-cert-file @CERTS@/cert.pem'],
    })),
    B(() => ({
      label: 'tls wrong key',
      lines: [
        'tls-port @TLSPORT@',
        'tls-cert-file @CERTS@/cert.pem',
        'tls-key-file @CERTS@/other-key.pem',
        'tls-ca-cert-file @CERTS@/cert.pem',
      ],
    })),
    B(() => ({
      label: 'tls placeholder cert',
      lines: [
        'tls-port @TLSPORT@',
        'tls-cert-file @CERTS@/placeholder.pem',
        'tls-key-file @CERTS@/key.pem',
        'tls-ca-cert-file @CERTS@/cert.pem',
      ],
    })),
    B(() => ({
      label: 'tls missing file',
      lines: ['tls-port @TLSPORT@', 'tls-cert-file @CERTS@/none.pem', 'tls-key-file @CERTS@/key.pem', 'tls-ca-cert-file @CERTS@/cert.pem'],
    })),
    () => ({ label: 'tls-replication', lines: [`tls-replication ${bad ? pick(['yes', 'no']) : 'no'}`] }),
    () => ({ label: 'tls files, port 0', lines: ['tls-port 0', 'tls-cert-file @CERTS@/none.pem'] }),
    B(() => ({ label: 'tls-port bad', lines: [`tls-port ${pick(['65536', 'x', '-1'])}`] })),
    B(() => ({ label: 'nowhere', lines: ['port 0', 'unixsocket ""'] })),
    () => {
      const k = Math.floor(r() * 1000);
      const inner = mutations(pick, r, 1 + Math.floor(r() * 2), bad).filter(
        (m) => !m.files && !m.crlf && !m.bom && m.configCommand === undefined,
      );
      return {
        label: `include [${inner.map((m) => m.label).join(', ')}]`,
        lines: [`include @DIR@/inc-${k}.conf`],
        files: { [`inc-${k}.conf`]: inner.flatMap((m) => m.lines).join('\n') + '\n' },
      };
    },
    B(() => ({ label: 'include missing', lines: ['include @DIR@/missing.conf'] })),
    () => {
      const count = Math.floor(r() * 3);
      const files: Record<string, string> = {};
      for (let j = 0; j < count; j++)
        files[`conf.d/${j}0-x.conf`] =
          `protected-mode ${pick(['yes', 'no'])}\nbind ${pick(['127.0.0.1', '127.0.0.1 -::1', '127.0.0.2'])}\n`;
      return { label: `include glob (${count} files)`, lines: ['include @DIR@/conf.d/*.conf'], files };
    },
    () => ({ label: 'NUL then newline in a comment', lines: [`#\0`, `protected-mode ${pick(['yes', 'no'])}`] }),
    () => ({ label: 'NUL inside a value', lines: [`protected-mode ${pick(['yes', 'no'])}\0junk`] }),
    () => ({ label: 'NUL in a long comment', lines: [`#\0${'x'.repeat(1100)}`, `protected-mode ${pick(['yes', 'no'])}`] }),
    () => ({ label: 'NUL past 1024 bytes', lines: [`#${'y'.repeat(1030)}\0`, `protected-mode ${pick(['yes', 'no'])}`] }),
    () => ({ label: 'long line', lines: [`# ${'z'.repeat(2000)}`, `protected-mode ${pick(['yes', 'no'])}`] }),
    () => ({ label: 'CRLF', lines: [], crlf: true }),
    B(() => ({ label: 'BOM', lines: [], bom: true })),
    () => ({ label: 'tab and spaces', lines: [`\t protected-mode\t${pick(['no', 'yes'])}  `] }),
    B(() => ({ label: 'NBSP', lines: [`protected-mode\u00a0no`] })),
  ];
  const gens = all.filter((g): g is () => Mutation => g !== null);
  return Array.from({ length: n }, () => pick(gens)());
}

/** Case `index` of `seed`: 1–4 mutations of the runnable Debian file. */
export function redisCase(seed: number, index: number): RedisGenCase {
  const r = rng(seed * 100_003 + index);
  const pick: Pick = (xs) => xs[Math.floor(r() * xs.length)]!;
  const lines = runnableBase();
  const n = 1 + Math.floor(r() * 4);
  const bad = r() < 0.4;
  const ms = mutations(pick, r, n, bad);
  const files: Record<string, string> = {};
  let configCommand: string | null = 'config';
  let crlf = false;
  let bom = false;
  // The probe user, on its own line near the top (the harness reads the running values with it).
  lines.splice(1, 0, `user ${PROBE_USER} on >${PROBE_PASS} ~* &* +@all`);
  for (const m of ms) {
    Object.assign(files, m.files ?? {});
    if (m.configCommand !== undefined) configCommand = m.configCommand === null ? null : configCommand === null ? null : m.configCommand;
    crlf ||= m.crlf === true;
    bom ||= m.bom === true;
    const at = m.replaces ? lines.findIndex((l) => l.split(' ')[0] === m.replaces) : -1;
    if (at >= 0) lines.splice(at, 1, ...m.lines);
    else if (r() < 0.5) lines.push(...m.lines);
    else lines.splice(Math.floor(r() * lines.length), 0, ...m.lines);
  }
  // "user" needs ACL categories to exist: none of the mutations above removes the probe.
  let text = lines.map((l) => Buffer.from(l, 'utf8').toString('latin1')).join(crlf ? '\r\n' : '\n');
  if (bom) text = '\xef\xbb\xbf' + text;
  files['redis.conf'] = text;
  return {
    name: `seed ${seed} case ${index}: ${ms.map((m) => m.label).join('; ')}`,
    files,
    main: 'redis.conf',
    configCommand,
    mutations: ms.map((m) => m.label),
  };
}
