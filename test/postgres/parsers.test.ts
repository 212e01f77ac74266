import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePgBool, parsePgConf } from '../../src/collect/parse/pg-conf.js';
import { interpretHbaFields, parseHbaAddress, tokenizePgHba } from '../../src/collect/parse/pg-hba.js';
import { parsePostmasterArgv } from '../../src/collect/postgres.js';

test('parsePgConf: quoting, units, comments, case-insensitive names, errors as values', () => {
  const f = parsePgConf(
    "Log_Statement = 'ddl' # c\nshared_buffers 128MB\nlog_line_prefix = '%m it''s \\'x\\' '\nlisten_addresses = *\nport = 5432 6543\npgaudit.log = 'write'\n\n# only a comment\n",
    '/p.conf',
  );
  assert.deepEqual(
    f.entries.map((e) => [e.name, e.value, e.line]),
    [
      ['log_statement', 'ddl', 1],
      ['shared_buffers', '128MB', 2],
      ['log_line_prefix', "%m it's 'x' ", 3],
      ['pgaudit.log', 'write', 6],
    ],
  );
  assert.deepEqual(
    f.errors.map((e) => e.line),
    [4, 5],
  );
  assert.match(f.errors[0]!.message, /syntax error in file "\/p.conf" line 4/);
});

test('parsePgBool: parse_bool spellings', () => {
  for (const s of ['on', 'true', 'yes', '1', 'TRUE', 't', 'y']) assert.equal(parsePgBool(s), true, s);
  for (const s of ['off', 'false', 'no', '0', 'of', 'f', 'n']) assert.equal(parsePgBool(s), false, s);
  for (const s of ['o', 'maybe', '']) assert.equal(parsePgBool(s), null, s);
});

test('pg_hba: continuation, quotes, comma lists, keywords, netmask column, PG16 include', () => {
  const lines = tokenizePgHba(
    'host  "all",db2, db3  +grp \\\n  10.0.0.0 255.0.0.0 scram-sha-256 # c\ninclude other.conf\nhost all all 0.0.0.0/0\n',
    '/h',
  );
  assert.equal(lines.length, 3);
  assert.equal(lines[0]!.line, 1);
  const r = interpretHbaFields(lines[0]!.fields);
  assert.equal(r.kind, 'rule');
  if (r.kind === 'rule') {
    assert.deepEqual(r.databases, ['all', 'db2', 'db3']);
    assert.equal(r.address?.kind === 'cidr' && r.address.cidr, '10.0.0.0/8');
  }
  assert.deepEqual(interpretHbaFields(lines[1]!.fields), { kind: 'include', directive: 'include', target: 'other.conf' });
  assert.deepEqual(interpretHbaFields(lines[2]!.fields), { kind: 'error', message: 'end-of-line before authentication method' });
  const any = parseHbaAddress('::/0', null);
  assert.ok(!('error' in any) && any.kind === 'cidr' && any.any);
  const lo = parseHbaAddress('127.0.0.1/32', null);
  assert.ok(!('error' in lo) && lo.kind === 'cidr' && lo.loopback);
  assert.ok('error' in parseHbaAddress('10.0.0.1', '255.0.255.0'), 'non-contiguous mask');
});

test('parsePostmasterArgv: -D, -c, --name=value, -p, -k, -h', () => {
  const r = parsePostmasterArgv([
    '/usr/lib/postgresql/15/bin/postgres',
    '-D',
    '/d',
    '-c',
    'config_file=/etc/x.conf',
    '--log-connections=on',
    '-p5433',
    '-k',
    '/s',
    '-h',
    '127.0.0.1',
  ]);
  assert.equal(r.dataOpt, '/d');
  assert.deepEqual(Object.fromEntries(r.overrides), {
    config_file: '/etc/x.conf',
    log_connections: 'on',
    port: '5433',
    unix_socket_directories: '/s',
    listen_addresses: '127.0.0.1',
  });
});
