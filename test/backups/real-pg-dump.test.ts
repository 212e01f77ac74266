// Real pg_dump output (plain SQL and the custom PGDMP format, gzip of the plain one) from a real
// PostgreSQL 15 started for the test: the content sniffer must call each of them plain, and the same
// dump encrypted with age must be called encrypted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sniffFile } from '../../src/collect/backup-content.js';
import { FsTarget } from '../../src/target/fs-target.js';

const LOCAL = new FsTarget({ name: 'local' });
import { requireCommands } from '../helpers.js';
import { initdb, postgresDir, requirePostgres, startServer } from '../postgres/pg-server.js';

test('real pg_dump 15 output: plain SQL, custom format (PGDMP) and gzip are plain; age of it is encrypted', async (t) => {
  const bin = requirePostgres(t);
  if (!bin || !requireCommands(t, 'age', 'age-keygen', 'gzip')) return;
  const data = postgresDir(t, 'rampart-pgdump-data-');
  initdb(bin, data);
  const server = await startServer(t, bin, data);
  server.psql("CREATE TABLE learners (id int PRIMARY KEY, email text); INSERT INTO learners VALUES (1, 'alice@example.org');");
  const out = mkdtempSync(join(tmpdir(), 'rampart-pgdump-'));
  chmodSync(out, 0o777);
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const dump = (format: string, file: string) =>
    execFileSync(
      'runuser',
      [
        '-u',
        'postgres',
        '--',
        join(bin, 'pg_dump'),
        '-h',
        server.socketDir,
        '-p',
        String(server.port),
        `-F${format}`,
        '-f',
        join(out, file),
        'postgres',
      ],
      { timeout: 60_000 },
    );
  dump('p', 'lms.sql');
  dump('c', 'lms.dump');
  execFileSync('gzip', ['-k', join(out, 'lms.sql')]);
  const key = join(out, 'key.txt');
  execFileSync('age-keygen', ['-o', key], { stdio: 'ignore' });
  const recipient = execFileSync('age-keygen', ['-y', key], { encoding: 'utf8' }).trim();
  execFileSync('age', ['-r', recipient, '-o', join(out, 'lms.sql.age'), join(out, 'lms.sql')]);

  for (const [file, verdict] of [
    ['lms.sql', 'plain'],
    ['lms.dump', 'plain'],
    ['lms.sql.gz', 'plain'],
    ['lms.sql.age', 'encrypted'],
  ] as const) {
    const s = await sniffFile(LOCAL, join(out, file));
    assert.equal(s.verdict, verdict, `${file}: ${s.format} ${s.detail ?? ''}`);
  }
  assert.match((await sniffFile(LOCAL, join(out, 'lms.dump'))).format, /PGDMP|custom/i);
});
