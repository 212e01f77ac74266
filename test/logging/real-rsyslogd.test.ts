// Real component: `rsyslogd -N1` (config check only, no daemon) says which fixture rsyslog
// configurations rsyslog accepts; the parser must report errors exactly for the rejected ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireCommands } from '../helpers.js';
import { caseRoot, factsAt } from './fixture.js';

const CASES: [string | null, boolean][] = [
  [null, true],
  ['rsyslog-forward-tcp.pass', true],
  ['rsyslog-omfwd-action.pass', true],
  ['forward-to-localhost.fail', true],
  ['rsyslog-ruleset-only.fail', true],
  ['rsyslog-malformed', false],
];

for (const [name, valid] of CASES) {
  test(`rsyslogd -N1 ${valid ? 'accepts' : 'rejects'} ${name ?? 'the Debian 12 rsyslog.conf'}, and the parser agrees`, async (t) => {
    if (!requireCommands(t, 'rsyslogd')) return;
    const root = caseRoot(t, name, ['rsyslog']);
    const facts = await factsAt(root);
    const rs = facts.shippers.find((s) => s.kind === 'rsyslog');
    assert.ok(rs);
    const conf = join(root, 'etc/rsyslog.conf');
    mkdirSync(join(root, 'spool'), { recursive: true });
    writeFileSync(
      conf,
      readFileSync(conf, 'utf8')
        .replace('$IncludeConfig /etc/rsyslog.d/*.conf', `$IncludeConfig ${root}/etc/rsyslog.d/*.conf`)
        .replace('$WorkDirectory /var/spool/rsyslog', `$WorkDirectory ${root}/spool`),
    );
    const r = spawnSync('rsyslogd', ['-N1', '-f', conf, '-i', join(root, 'rsyslogd.pid')], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status === 0, valid, `rsyslogd -N1 exit ${r.status}: ${r.stderr}${r.stdout}`);
    assert.equal(rs.errors.length === 0, valid, `parser errors: ${JSON.stringify(rs.errors)}`);
  });
}
