// PostgreSQL (pg_hba.conf, postgresql.conf), Redis (redis.conf, ACL files), fail2ban ini.
import fc from 'fast-check';
import { tokenizePgHba, interpretHbaFields } from '../../src/collect/parse/pg-hba.js';
import { parsePgConf, type PgConfFile } from '../../src/collect/parse/pg-conf.js';
import { parseRedisConfig, type ParsedRedisConfig } from '../../src/collect/parse/redis-config.js';
import { parseAclFile } from '../../src/collect/parse/redis-acl.js';
import { parseFail2banIni } from '../../src/collect/parse/fail2ban-ini.js';
import { caseOf, fileOf, ident, word, ws, type FuzzTarget } from './harness.js';

const hbaLine = fc
  .tuple(
    fc.constantFrom('local', 'host', 'hostssl', 'hostnossl', 'hostgssenc'),
    fc.constantFrom('all', 'sameuser', 'replication', 'db1', '"Quoted DB"', 'a,b'),
    fc.constantFrom('all', '+admins', 'postgres', '@users.txt'),
    fc.constantFrom('127.0.0.1/32', '::1/128', '0.0.0.0/0', 'samenet', '10.0.0.0 255.0.0.0', 'example.com'),
    fc.constantFrom('trust', 'md5', 'scram-sha-256', 'peer', 'reject', 'cert clientcert=verify-full'),
  )
  .map(([t, d, u, a, m]) => (t === 'local' ? `${t} ${d} ${u} ${m.split(' ')[0]}` : `${t}\t${d}\t${u}\t${a}\t${m}`));
export const pgHba: FuzzTarget = {
  name: 'pg_hba',
  parse: (t) => {
    const lines = tokenizePgHba(String(t), '/etc/postgresql/15/main/pg_hba.conf');
    return {
      lines,
      records: lines.map((l) =>
        'fields' in l ? interpretHbaFields((l as { fields: Parameters<typeof interpretHbaFields>[0] }).fields) : null,
      ),
    };
  },
  valid: fileOf(
    fc.oneof(
      { arbitrary: hbaLine, weight: 5 },
      { arbitrary: fc.constantFrom('include_dir conf.d', 'include_if_exists x.conf', 'host all all \\\n 127.0.0.1/32 md5'), weight: 1 },
    ),
  ),
};

const pgName = fc.constantFrom(
  'listen_addresses',
  'ssl',
  'password_encryption',
  'log_connections',
  'shared_buffers',
  'port',
  'include_dir',
);
const pgValue = fc.oneof(
  word.map((w) => `'${w}'`),
  fc.constantFrom('on', 'off', '128MB', '5432', "'it''s'", "'a\\'b'", "'*'"),
);
export const pgConf: FuzzTarget = {
  name: 'postgresql.conf',
  parse: (t) => parsePgConf(String(t), '/etc/postgresql/15/main/postgresql.conf'),
  valid: fileOf(
    fc
      .tuple(pgName.chain(caseOf), fc.constantFrom(' = ', '=', ' ', '\t=\t'), pgValue, fc.constantFrom('', ' # note', '\t#'))
      .map(([n, s, v, c]) => `${n}${s}${v}${c}`),
  ),
  facts: (p) => (p as PgConfFile).entries.map((e) => [e.name, e.value]),
  print: (p) =>
    (p as PgConfFile).entries.map((e) => `${e.name} = '${e.value.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join('\n') + '\n',
};

const redisArg = fc.oneof(
  word,
  word.map((w) => `"${w} \\x41\\n"`),
  word.map((w) => `'${w}'`),
);
export const redisConf: FuzzTarget = {
  name: 'redis.conf',
  parse: (t) => parseRedisConfig(t, '/etc/redis/redis.conf'),
  valid: fileOf(
    fc
      .tuple(
        fc
          .constantFrom('bind', 'port', 'protected-mode', 'requirepass', 'rename-command', 'user', 'include', 'save', 'maxmemory')
          .chain(caseOf),
        ws,
        fc.array(redisArg, { minLength: 1, maxLength: 4 }),
      )
      .map(([k, s, a]) => `${k}${s}${a.join(' ')}`),
  ),
  facts: (p) => (p as ParsedRedisConfig).directives.map((d) => [d.name, d.args]),
  print: (p) =>
    (p as ParsedRedisConfig).directives
      .map((d) =>
        [
          d.name,
          ...d.args.map((a) => `"${[...Buffer.from(a, 'latin1')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('')}"`),
        ].join(' '),
      )
      .join('\n') + '\n',
};

const aclRule = fc.constantFrom(
  'on',
  'off',
  '>secret',
  '#' + 'a'.repeat(64),
  'nopass',
  '~*',
  '%R~app:*',
  '&*',
  '+@all',
  '-flushall',
  'allcommands',
  'resetpass',
  '(~x +get)',
);
export const redisAcl: FuzzTarget = {
  name: 'redis ACL file',
  parse: (t) => parseAclFile(String(t), '/etc/redis/users.acl'),
  valid: fc
    .array(
      fc.tuple(ident, fc.array(aclRule, { maxLength: 6 })).map(([u, r]) => `user ${u} ${r.join(' ')}`),
      { maxLength: 15 },
    )
    .map((l) => l.join('\n') + '\n'),
};

const iniLine = fc.oneof(
  { arbitrary: ident.map((s) => `[${s}]`), weight: 1 },
  {
    arbitrary: fc
      .tuple(
        ident,
        fc.constantFrom(' = ', '=', ': '),
        fc.oneof(word, fc.constantFrom('%(known/port)s', '%(__name__)s', 'iptables[name=x, port="22"]')),
      )
      .map(([k, s, v]) => `${k}${s}${v}`),
    weight: 4,
  },
  { arbitrary: word.map((w) => `    ${w}`), weight: 1 },
  { arbitrary: fc.constantFrom('[INCLUDES]', 'before = paths-debian.conf', '; semicolon comment', '[DEFAULT]'), weight: 1 },
);
export const fail2banIni: FuzzTarget = {
  name: 'fail2ban ini',
  parse: (t) => parseFail2banIni(String(t), '/etc/fail2ban/jail.local'),
  valid: fileOf(iniLine),
};
