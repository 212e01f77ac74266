import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets, redactUrlPassword } from '../../src/util/redact.js';

test('redactSecrets: environment assignments, secret options, URL user info, query strings, config lines', () => {
  const cases: Array<[string, string]> = [
    ['0 3 * * * postgres PGPASSWORD=hunter2 pg_dump app', '0 3 * * * postgres PGPASSWORD=*** pg_dump app'],
    ["PGPASSWORD='a b' pg_dump", 'PGPASSWORD=*** pg_dump'],
    ['export RESTIC_PASSWORD="x y"; restic backup', 'export RESTIC_PASSWORD=***; restic backup'],
    ['AWS_SECRET_ACCESS_KEY=xyz BORG_PASSPHRASE=p borg', 'AWS_SECRET_ACCESS_KEY=*** BORG_PASSPHRASE=*** borg'],
    ['restic --password-command "echo s3cr3t" backup', 'restic --password-command *** backup'],
    ["restic --password-command='echo s3cr3t' backup", 'restic --password-command=*** backup'],
    ['mysqldump --password=pw db', 'mysqldump --password=*** db'],
    ['restic -r rest:https://u:pw@h/r backup', 'restic -r rest:https://u:***@h/r backup'],
    ['curl https://h/x?token=abc&x=1', 'curl https://h/x?token=***&x=1'],
    ['    encryption_passphrase: "abc def"', '    encryption_passphrase: ***'],
    ['requirepass = x', 'requirepass = ***'],
  ];
  for (const [input, want] of cases) assert.equal(redactSecrets(input), want, input);
  for (const keep of [
    'SOMEVAR=keep PATH=/usr/bin',
    'restic --password-file /etc/restic.pw backup',
    'borg create --passphrase -x',
    'keep: 1',
  ])
    assert.equal(redactSecrets(keep), keep);
});

test('redactUrlPassword: the password of a connection URL, the user kept', () => {
  assert.equal(redactUrlPassword('postgresql://app:pw@db:5432/app'), 'postgresql://app:***@db:5432/app');
  assert.equal(redactUrlPassword('redis://:p%40ss@127.0.0.1:6379/0'), 'redis://:***@127.0.0.1:6379/0');
  assert.equal(redactUrlPassword('postgresql://app@db/app'), 'postgresql://app@db/app');
  assert.equal(redactUrlPassword('not a url user:pw@x'), 'not a url user:pw@x');
  assert.equal(redactUrlPassword(null), null);
});
