// Secrets never leave the audited host through Rampart (issue 13): known secrets are planted in a
// fixture root, the audit runs with every format to files, saves the facts snapshot and stores the
// run in the history; every byte written (reports, snapshot, the SQLite store and its WAL, standard
// output and error, `history` and `diff` output) is searched for every secret: 0 occurrences.
// Also: fix receipts, journals and logs of `fix --apply` and `rollback` (the backups of fixed files
// necessarily hold the host's own bytes: they must be exactly those files, 0600 in 0700 directories),
// fleet outputs (`audit --facts DIR` of snapshots of planted roots, every fleet format, `fleet drift`),
// and forensic collections (`collect`: processes, crontabs, units, auth.log, the archive).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FORMATS } from '../../src/report/index.js';
import { FLEET_FORMATS } from '../../src/fleet/render.js';
import { collectForensics } from '../../src/collect/forensic/index.js';
import { makeProcTree } from '../collect-forensic/fixture.js';
import { runCli } from '../helpers.js';
import { hostRoot } from '../e2e/hosts.js';

const S = (n: string) => `S3cr3t-${n}-7f3a9c`;
const SECRETS = {
  requirepass: S('requirepass'),
  masterauth: S('masterauth'),
  aclInline: S('acl-inline'),
  aclFile: S('acl-file'),
  pgpass: S('pgpass'),
  envUrl: S('env-url'),
  cronPg: S('cron-pgpassword'),
  cronRestic: S('cron-password-command'),
  cronUrl: S('cron-url'),
  composeEnv: S('compose-environment'),
  dotEnv: S('dot-env'),
  sshKey: 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW' + 'SECRETKEYBODY',
  shadowHash: '$6$rampartsalt$SECRETHASHxq0Jc2P5yU1mZ0C7Sl0n4g0rW3q8e1QhYdG0p9V1m6nJ0aB2c3d4e5f6',
  tlsKey: 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC' + 'SECRETTLSBODY',
  configRedis: S('config-redis-url'),
  configPg: S('config-postgres-url'),
};

function plant(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text, { mode: 0o600 });
  }
}

/** The names of the secrets found in any of `haystacks` (as written, URL-encoded or JSON-escaped). */
function leaksIn(haystacks: readonly Buffer[], secrets: Record<string, string> = SECRETS): string[] {
  const leaks: string[] = [];
  for (const [name, secret] of Object.entries(secrets))
    for (const form of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])
      if (haystacks.some((h) => h.includes(form))) {
        leaks.push(name);
        break;
      }
  return leaks;
}

function allFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...allFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

function allBytes(dir: string): Buffer[] {
  const out: Buffer[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...allBytes(p));
    else if (e.isFile()) out.push(readFileSync(p));
  }
  return out;
}

/** The Debian 12 default fixture with every secret of SECRETS planted where a host keeps it. */
function plantedRoot(t: TestContext): string {
  const root = hostRoot('debian12-default', t);
  const shadow = readFileSync(join(root, 'etc/shadow'), 'utf8').replace(/^root:[^:]*:/m, `root:${SECRETS.shadowHash}:`);
  plant(root, {
    'etc/shadow': shadow,
    'etc/redis/redis.conf': [
      'bind 127.0.0.1',
      'port 6379',
      `requirepass ${SECRETS.requirepass}`,
      `masterauth ${SECRETS.masterauth}`,
      `user app on >${SECRETS.aclInline} ~* +@all`,
      'aclfile /etc/redis/users.acl',
      '',
    ].join('\n'),
    'etc/redis/users.acl': `user bob on >${SECRETS.aclFile} ~* +@all\n`,
    'root/.pgpass': `db.internal:5432:*:app:${SECRETS.pgpass}\n`,
    'etc/default/app': `DATABASE_URL=postgresql://app:${SECRETS.envUrl}@db.internal/app\n`,
    'etc/cron.d/backup': [
      'SHELL=/bin/sh',
      `0 3 * * * root PGPASSWORD=${SECRETS.cronPg} pg_dump app | restic --password-command "echo ${SECRETS.cronRestic}" -r sftp:backup@vault:/srv/restic backup --stdin`,
      `30 3 * * * root restic -r rest:https://backup:${SECRETS.cronUrl}@vault.example/app check`,
      '',
    ].join('\n'),
    'srv/app/docker-compose.yml': [
      'services:',
      '  db:',
      '    image: postgres:15',
      '    environment:',
      `      POSTGRES_PASSWORD: ${SECRETS.composeEnv}`,
      '    env_file: .env',
      '',
    ].join('\n'),
    'srv/app/.env': `DB_PASSWORD=${SECRETS.dotEnv}\n`,
    'root/.ssh/id_ed25519': `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRETS.sshKey}\n-----END OPENSSH PRIVATE KEY-----\n`,
    'etc/ssl/private/server.key': `-----BEGIN PRIVATE KEY-----\n${SECRETS.tlsKey}\n-----END PRIVATE KEY-----\n`,
  });
  return root;
}

test('secrets: no planted secret appears in any format, the snapshot, the history store or the CLI output', async (t) => {
  const root = plantedRoot(t);
  const work = mkdtempSync(join(tmpdir(), 'rampart-secrets-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const config = join(work, 'config.yaml');
  writeFileSync(
    config,
    [
      'redis:',
      `  url: redis://:${SECRETS.configRedis}@127.0.0.1:1/0`,
      'postgres:',
      `  url: postgresql://app:${SECRETS.configPg}@127.0.0.1:1/app`,
      '',
    ].join('\n'),
  );
  const state = join(work, 'state');
  const outs = join(work, 'out');
  mkdirSync(outs, { mode: 0o700 }); // outputs go into an existing directory (issue 14)
  const formats = FORMATS.map((f) => `${f}:${join(outs, `report.${f}`)}`).join(',');
  const printed: string[] = [];
  const audit = await runCli([
    'audit',
    '--root',
    root,
    '--config',
    config,
    '--state-dir',
    state,
    '--format',
    formats,
    '--save-facts',
    join(outs, 'facts.json'),
  ]);
  assert.ok(audit.code === 0 || audit.code === 1, audit.stderr);
  printed.push(audit.stdout, audit.stderr);
  for (const f of FORMATS) assert.ok(statSync(join(outs, `report.${f}`)).size > 0, f);
  // a second run from the snapshot, to stdout as text, and the history views
  const again = await runCli(['audit', '--facts', join(outs, 'facts.json'), '--state-dir', state, '--verbose']);
  printed.push(again.stdout, again.stderr);
  for (const argv of [['history'], ['diff'], ['history', '--format', 'json']]) {
    const r = await runCli([...argv, '--state-dir', state]);
    printed.push(r.stdout, r.stderr);
  }
  const haystacks = [...allBytes(outs), ...allBytes(state), ...printed.map((s) => Buffer.from(s))];
  assert.ok(
    allBytes(state).some((b) => b.length > 0),
    'the history store was written',
  );
  const leaks = leaksIn(haystacks);
  assert.deepEqual(leaks, [], `secrets found in the output: ${leaks.join(', ')}`);
});

test('secrets: fix --apply and rollback write no secret into receipts, journals or output; backups are the host files, 0600', async (t) => {
  const root = plantedRoot(t);
  // Redis listening everywhere, so that redis.bind-local fails and its recipe rewrites redis.conf (which holds the secrets).
  const conf = join(root, 'etc/redis/redis.conf');
  // (no aclfile here: inline users and an aclfile together are a configuration redis-server refuses)
  writeFileSync(
    conf,
    [
      'bind 0.0.0.0',
      'port 6379',
      `requirepass ${SECRETS.requirepass}`,
      `masterauth ${SECRETS.masterauth}`,
      `user app on >${SECRETS.aclInline} ~* +@all`,
      '',
    ].join('\n'),
  );
  const dpkg = join(root, 'var/lib/dpkg/status');
  writeFileSync(
    dpkg,
    `${readFileSync(dpkg, 'utf8').trimEnd()}\n\nPackage: redis-server\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5:7.0.15-1~deb12u10\n\n`,
  );
  const original = readFileSync(conf);
  const work = mkdtempSync(join(tmpdir(), 'rampart-secrets-fix-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const state = join(work, 'state');
  const printed: string[] = [];
  const NOW = ['--now', '2026-12-01T00:00:00Z'];
  const base = ['fix', '--root', root, '--state-dir', state, '--allow-disruptive', '--only', 'redis.bind-local', ...NOW];
  const dry = await runCli([...base, '--format', 'json']);
  printed.push(dry.stdout, dry.stderr);
  const applied = await runCli([...base, '--apply']);
  printed.push(applied.stdout, applied.stderr);
  assert.equal(applied.code, 0, applied.stderr + applied.stdout);
  const fixed = readFileSync(conf);
  assert.notDeepEqual(fixed, original, `the fix changed redis.conf: ${applied.stdout}`);
  assert.ok(fixed.includes(SECRETS.requirepass), 'the fixed file keeps the host its password');
  // everything the fix wrote, before the rollback removes anything
  const written = allFiles(state);
  const bytes = new Map(written.map((f) => [f, readFileSync(f)]));
  const rolled = await runCli(['rollback', '--root', root, '--state-dir', state]);
  printed.push(rolled.stdout, rolled.stderr);
  assert.equal(rolled.code, 0, rolled.stderr);
  assert.deepEqual(readFileSync(conf), original);
  for (const f of allFiles(state)) bytes.set(f, readFileSync(f));

  const backups = [...bytes.keys()].filter((f) => /\/files\/\d+\.(orig|new)$/.test(f));
  assert.ok(backups.length > 0, `backups of the fixed file: ${[...bytes.keys()].join(', ')}`);
  for (const f of backups) {
    // a backup must restore exact bytes, so it holds the host's own secrets: only ever those bytes, 0600 in 0700
    const b = bytes.get(f)!;
    assert.ok(b.equals(original) || b.equals(fixed), `${f} is the original or the fixed redis.conf`);
    assert.equal(statSync(f).mode & 0o777, 0o600, f);
    assert.equal(statSync(dirname(f)).mode & 0o777, 0o700, dirname(f));
  }
  const others = [...bytes].filter(([f]) => !backups.includes(f));
  assert.ok(
    others.some(([f]) => f.endsWith('manifest.json')) && others.some(([f]) => f.endsWith('journal.jsonl')),
    [...bytes.keys()].join(', '),
  );
  const leaks = leaksIn([...others.map(([, b]) => b), ...printed.map((x) => Buffer.from(x))]);
  assert.deepEqual(leaks, [], `secrets in fix receipts, journals or output: ${leaks.join(', ')}`);
});

test('secrets: fleet outputs (audit --facts DIR in every fleet format, fleet drift) of planted hosts hold no secret', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'rampart-secrets-fleet-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const facts = join(work, 'facts');
  const outs = join(work, 'out');
  mkdirSync(facts, { mode: 0o700 });
  mkdirSync(outs, { mode: 0o700 });
  const config = join(work, 'config.yaml');
  writeFileSync(
    config,
    `redis:\n  url: redis://:${SECRETS.configRedis}@127.0.0.1:1/0\npostgres:\n  url: postgresql://app:${SECRETS.configPg}@127.0.0.1:1/app\n`,
  );
  const printed: string[] = [];
  for (const name of ['web-1', 'web-2']) {
    const root = plantedRoot(t);
    writeFileSync(join(root, 'etc/hostname'), `${name}\n`);
    if (name === 'web-2')
      writeFileSync(join(root, 'etc/cron.d/extra'), `0 4 * * * root PGPASSWORD=${SECRETS.cronPg} pg_dumpall > /b/all.sql\n`);
    const r = await runCli([
      'audit',
      '--root',
      root,
      '--config',
      config,
      '--no-store',
      '--format',
      'json:/dev/null',
      '--save-facts',
      join(facts, `${name}.json`),
    ]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    printed.push(r.stdout, r.stderr);
  }
  const formats = FLEET_FORMATS.map((f) => `${f}:${join(outs, `fleet.${f}`)}`).join(',');
  const fleet = await runCli(['audit', '--facts', facts, '--no-store', '--format', formats]);
  assert.ok(fleet.code === 0 || fleet.code === 1, fleet.stderr);
  printed.push(fleet.stdout, fleet.stderr);
  for (const f of FLEET_FORMATS) assert.ok(statSync(join(outs, `fleet.${f}`)).size > 0, f);
  const text = await runCli(['audit', '--facts', facts, '--no-store']);
  printed.push(text.stdout, text.stderr);
  for (const format of ['text', 'json']) {
    const d = await runCli(['fleet', 'drift', '--facts', facts, '--format', format]);
    assert.ok(d.code === 0 || d.code === 1, d.stderr);
    printed.push(d.stdout, d.stderr);
  }
  assert.ok(printed.join('').includes('web-2'));
  const leaks = leaksIn([...allBytes(outs), ...allBytes(facts), ...printed.map((x) => Buffer.from(x))]);
  assert.deepEqual(leaks, [], `secrets in fleet outputs: ${leaks.join(', ')}`);
});

test('secrets: a forensic collection (processes, crontabs, units, auth.log, the archive) holds no planted secret', async (t) => {
  const root = plantedRoot(t);
  const extra = {
    procEnv: S('proc-pgpassword'),
    procOpt: S('proc-option'),
    procUrl: S('proc-url'),
    unitOpt: S('unit-option'),
    authLog: S('auth-log'),
  };
  plant(root, {
    'etc/systemd/system/backup.timer': '[Timer]\nOnCalendar=daily\n',
    'etc/systemd/system/backup.service': `[Service]\nExecStart=/usr/bin/restic --password-command "echo ${extra.unitOpt}" backup /srv\n`,
    'var/log/auth.log': `Dec  1 10:00:01 web-1 sudo:  alice : TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=/usr/bin/mysql --password=${extra.authLog}\n`,
  });
  const proc = join(root, 'proc');
  makeProcTree(proc, 3, 3);
  const cmdlines = [
    ['/bin/sh', '-c', `PGPASSWORD=${extra.procEnv} pg_dump app`],
    ['/usr/bin/worker', '--db-password', extra.procOpt],
    ['/usr/bin/worker', `--url=postgresql://app:${extra.procUrl}@db/app`],
  ];
  for (const [i, argv] of cmdlines.entries()) {
    const d = join(proc, String(100 + i));
    mkdirSync(d);
    writeFileSync(join(d, 'stat'), `${100 + i} (sh) S 1 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 100 0 0\n`);
    writeFileSync(join(d, 'status'), 'Name:\tsh\nUid:\t0\t0\t0\t0\n');
    writeFileSync(join(d, 'cmdline'), `${argv.join('\0')}\0`);
  }
  const work = mkdtempSync(join(tmpdir(), 'rampart-secrets-collect-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const out = join(work, 'case');
  const r = await collectForensics({
    out,
    root,
    procRoot: proc,
    path: '',
    dockerSocket: null,
    etcDays: 1,
    collector: { user: 't', uid: 0, host: 't', toolVersion: 't' },
  });
  const files = allFiles(out);
  const processes = readFileSync(join(out, '01-processes.tsv'), 'utf8');
  assert.match(processes, /PGPASSWORD=\*\*\* pg_dump app/);
  assert.match(readFileSync(join(out, '05-crontabs.txt'), 'utf8'), /PGPASSWORD=\*\*\* pg_dump app/);
  assert.match(readFileSync(join(out, '04-auth-log-tail.txt'), 'utf8'), /--password=\*\*\*/);
  // the archive is gzip: its content is searched too
  const archive = files.filter((f) => f.endsWith('.tar.gz'));
  assert.equal(archive.length, 1, files.join(', '));
  const haystacks = [...files.map((f) => readFileSync(f)), gunzipSync(readFileSync(archive[0]!))];
  const leaks = leaksIn(haystacks, { ...SECRETS, ...extra });
  assert.deepEqual(leaks, [], `secrets in the collection: ${leaks.join(', ')}`);
  assert.ok(r.collection.items.length > 5);
});
