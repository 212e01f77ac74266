// Seeded generator of postgresql.conf / pg_hba.conf variants for the agreement harness
// (test/postgres/agree.test.ts, bench/agree-pg.ts): the postgresql.conf and pg_hba.conf initdb writes
// (PostgreSQL 15), mutated — valid and invalid values, unknown and internal parameters, duplicates,
// include / include_if_exists / include_dir, quoting, units (1GB, 100ms, 1.5, 010, 0x10), booleans in
// every spelling, bad syntax, a NUL byte and a BOM, pg_hba.conf errors. Placeholders the harness
// replaces: @PORT@, @CERTS@ (a certificate and keys), @CASE@ (the case directory).
import { rng } from '../rng.js';

export interface PgGenCase {
  name: string;
  /** Relative path → content (latin1: one character per byte). */
  files: Record<string, string>;
  /** The watched parameters this case sets (asked with postgres -C). */
  touched: string[];
  mutations: string[];
}

type Pick = <T>(xs: readonly T[]) => T;

interface Mutation {
  label: string;
  lines: string[];
  touches: string[];
  files?: Record<string, string>;
  hba?: string[];
  bom?: boolean;
}

const BOOLS_OK = ['on', 'off', 'true', 'false', 'yes', 'no', '1', '0', "'on'", 'of', 'ye', 'ON', 'Off'];
const BOOLS_BAD = ['o', '2', "' on'", 'maybe', "''", 'onn'];

function mutations(pick: Pick, r: () => number, n: number, bad: boolean): Mutation[] {
  const v = (name: string, good: readonly string[], wrong: readonly string[] = [], touches = [name]): Mutation => {
    const x = bad && wrong.length && r() < 0.5 ? pick(wrong) : pick(good);
    const sep = pick([' = ', '=', ' ', '  =  ']);
    return { label: `${name}${sep.trim() || ' '}${x}`, lines: [`${name}${sep}${x}${r() < 0.2 ? '   # comment' : ''}`], touches };
  };
  const B = (m: () => Mutation) => (bad ? m : null);
  const all: (null | (() => Mutation))[] = [
    () => v('ssl', BOOLS_OK, BOOLS_BAD),
    () => v('ssl', ['off', 'on']),
    () => v('log_connections', BOOLS_OK, BOOLS_BAD),
    () => v('log_disconnections', BOOLS_OK, BOOLS_BAD),
    () => v('listen_addresses', ["'localhost'", "'127.0.0.1'", "''", 'localhost', "'127.0.0.1, ::1'", "'*'"]),
    () => v('port', ['@PORT@', "'@PORT@'", '@PORT@.2'], ['99999', 'abc', '-1', '0', '@PORT@kB']),
    () => v('ssl_min_protocol_version', ["'TLSv1.2'", "'tlsv1.3'", "'TLSv1'", 'TLSv1.1'], ["'TLSv1.4'", "''", 'ssl3']),
    () => v('password_encryption', ['md5', "'scram-sha-256'", 'SCRAM-SHA-256', 'MD5'], ['on', 'off', 'sha256', 'true']),
    () => v('log_statement', ["'none'", 'ddl', 'MOD', "'all'"], ['some', 'on', "''"]),
    () => v('log_line_prefix', ["'%m [%p] '", "'%t '", "''", "'%m [%p] %q%u@%d '"]),
    () =>
      v(
        'shared_preload_libraries',
        ["''", "'pg_stat_statements'", "'pg_stat_statements,auto_explain'"],
        ["'nosuchlib'", "'pg_stat_statements, nope'"],
      ),
    () => v('work_mem', ['4MB', "'1 GB'", '64kB', '4096', "'64kB '", '1.5MB'], ['4mb', '1.5', '010', '0x10', '63kB', '4 MB', '1TB']),
    () => v('shared_buffers', ['128MB', '1GB', '16', '1000kB', '8192kB'], ['15', '1gb', '2TB']),
    () => v('statement_timeout', ['0', "'1.5s'", '1500us', '10min', '1h', '1d', "'5 ms'", '100'], ['1.5s', '5 ms', '-1', '1y', '10sec']),
    () => v('seq_page_cost', ['1.0', '4', '.5', "'1e3'"], ['1e3', "'inf'", "'nan'", '-1']),
    () => v('max_connections', ['100', '20', '0x20'], ['0', '1e6', '100.4.4']),
    () => v('synchronous_commit', ['on', 'off', 'local', 'true', 'no', '1'], ['maybe', '2']),
    () => v('huge_pages', ['try', 'off', 'false'], ['perhaps']),
    () => v('client_min_messages', ['notice', 'debug', 'WARNING'], ['loud']),
    () => v('wal_level', ['replica', 'logical', 'minimal'], ['archive', 'hot_standby']),
    () => v('timezone', ["'UTC'", "'Europe/Paris'"], ["'Nowhere/X'"]),
    B(() => ({ label: 'unknown parameter', lines: [pick(['foo_bar = 1', 'wrok_mem = 4MB', 'ssl_cert = on'])], touches: [] })),
    () => ({ label: 'custom parameter', lines: [pick(['foo.bar = 1', "myapp.mode = 'x'", 'pg_stat_statements.max = 5000'])], touches: [] }),
    B(() => ({ label: 'internal parameter', lines: [pick(['block_size = 8192', 'server_version = 14', 'lc_collate = C'])], touches: [] })),
    B(() => ({
      label: 'syntax error',
      lines: [pick(['ssl = = on', 'ssl =', "ssl = 'on", 'ssl on off', '= on', 'log_statement = all; x', '1abc = 2'])],
      touches: ['ssl'],
    })),
    () => ({ label: 'duplicate ssl', lines: [`ssl = ${pick(['on', 'off'])}`, `ssl = ${pick(['on', 'off'])}`], touches: ['ssl'] }),
    B(() => ({ label: 'bad value then good', lines: ['log_statement = wrong', "log_statement = 'ddl'"], touches: ['log_statement'] })),
    () => ({
      label: 'case of name',
      lines: [`SSL = ${pick(['on', 'off'])}`, `Log_Connections = ${pick(['on', 'off'])}`],
      touches: ['ssl', 'log_connections'],
    }),
    () => ({
      label: 'quoted escapes',
      lines: [pick(["log_line_prefix = '%m ''quoted'' '", "log_line_prefix = 'a\\tb '", "log_line_prefix = 'x\\101y'"])],
      touches: ['log_line_prefix'],
    }),
    () => {
      const k = Math.floor(r() * 100);
      const inner = mutations(pick, r, 1 + Math.floor(r() * 2), bad).filter((m) => !m.files && !m.hba && !m.bom);
      return {
        label: `include [${inner.map((m) => m.label).join(', ')}]`,
        lines: [pick([`include 'inc-${k}.conf'`, `include = 'inc-${k}.conf'`, `include_if_exists 'inc-${k}.conf'`])],
        touches: inner.flatMap((m) => m.touches),
        files: { [`inc-${k}.conf`]: inner.flatMap((m) => m.lines).join('\n') + '\n' },
      };
    },
    () => ({ label: 'include_if_exists missing', lines: ["include_if_exists 'nope.conf'"], touches: [] }),
    B(() => ({ label: 'include missing', lines: ["include 'nope.conf'"], touches: [] })),
    () => {
      const files: Record<string, string> = {};
      const count = Math.floor(r() * 3);
      for (let j = 0; j < count; j++)
        files[`conf.d/${pick(['10', '20', '9', 'A', 'a'])}-${j}.conf`] =
          `ssl = ${pick(['on', 'off'])}\nlog_connections = ${pick(['on', 'off'])}\n`;
      if (r() < 0.3) files['conf.d/ignored.txt'] = 'ssl = maybe\n';
      if (r() < 0.3) files['conf.d/.hidden.conf'] = 'ssl = maybe\n';
      return {
        label: `include_dir (${count} files)`,
        lines: ["include_dir 'conf.d'"],
        touches: ['ssl', 'log_connections'],
        files: { ...files, 'conf.d/.keep': '' },
      };
    },
    B(() => ({ label: 'NUL byte', lines: [`ssl = on\0`, 'log_connections = on'], touches: ['ssl'] })),
    B(() => ({ label: 'BOM', lines: [], touches: [], bom: true })),
    () => ({
      label: 'ssl with files',
      lines: [
        'ssl = on',
        "ssl_cert_file = '@CERTS@/server.crt'",
        `ssl_key_file = '@CERTS@/${bad ? pick(['server.key', 'open.key', 'none.key']) : 'server.key'}'`,
      ],
      touches: ['ssl', 'ssl_cert_file', 'ssl_key_file'],
    }),
    () => ({
      label: 'hba line',
      lines: [],
      touches: [],
      hba: [
        pick(
          bad
            ? [
                'host all all 10.0.0.0/33 scram-sha-256',
                'host all all samenet md6',
                'host all all',
                'hostx all all 127.0.0.1/32 trust',
                'host all all 127.0.0.1/32 cert clientcert=verify-ca',
                'host all all 10.1.0.0 255.255.0 md5',
                'local all all ident map',
              ]
            : [
                'host all all 10.0.1.0/24 scram-sha-256',
                'hostssl all all 0.0.0.0/0 scram-sha-256',
                'host all app 192.0.2.10/32 md5',
                'hostnossl all all ::1/128 reject',
                'host "all" all 127.0.0.1/32 trust',
                'local replication all peer',
              ],
        ),
      ],
    }),
  ];
  const gens = all.filter((g): g is () => Mutation => g !== null);
  return Array.from({ length: n }, () => pick(gens)());
}

/** Case `index` of `seed`: 1–4 mutations of the initdb files (`base` postgresql.conf, `hba` pg_hba.conf). */
export function pgCase(seed: number, index: number, base: string, hba: string): PgGenCase {
  const r = rng(seed * 100_019 + index);
  const pick: Pick = (xs) => xs[Math.floor(r() * xs.length)]!;
  const bad = r() < 0.4;
  const ms = mutations(pick, r, 1 + Math.floor(r() * 4), bad);
  const lines = base.split('\n');
  // The harness's port and its own files: the certificate pair and an explicit hba_file in the case.
  lines.push('port = @PORT@', "hba_file = '@CASE@/pg_hba.conf'", "unix_socket_directories = '@CASE@'");
  const hbaLines = hba.split('\n');
  const files: Record<string, string> = {};
  let bom = false;
  for (const m of ms) {
    Object.assign(files, m.files ?? {});
    bom ||= m.bom === true;
    if (m.hba) hbaLines.splice(r() < 0.5 ? hbaLines.length : Math.floor(r() * hbaLines.length), 0, ...m.hba);
    if (r() < 0.6) lines.push(...m.lines);
    else lines.splice(Math.floor(r() * lines.length), 0, ...m.lines);
  }
  const latin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
  files['postgresql.conf'] = (bom ? '\xef\xbb\xbf' : '') + latin1(lines.join('\n'));
  files['pg_hba.conf'] = latin1(hbaLines.join('\n'));
  const touched = [...new Set(ms.flatMap((m) => m.touches))];
  return { name: `seed ${seed} case ${index}: ${ms.map((m) => m.label).join('; ')}`, files, touched, mutations: ms.map((m) => m.label) };
}
