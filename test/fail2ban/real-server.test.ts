// Real component: a fail2ban-server started by this test (its own config dir, socket, pid file and
// log under a temp dir; the dummy ban action, so nothing touches the host's firewall) answers the live
// collector's ping and `status sshd`; without a socket the ping is not run and the server is not
// running; a stale socket left by a killed server is pinged and found dead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { collectFail2ban } from '../../src/collect/fail2ban.js';
import type { Fail2banFacts } from '../../src/facts/fail2ban.js';
import { requireCommands } from '../helpers.js';

async function live(confDir: string): Promise<Fail2banFacts> {
  // a new target each time: the collector is memoised per target
  const fact = await collectFail2ban({ target: new FsTarget({ name: 'live' }), config: DEFAULT_CONFIG, commandTimeoutMs: 20_000 }, confDir);
  if (fact.state !== 'collected') assert.fail(`not collected: ${JSON.stringify(fact)}`);
  return fact.value;
}

test(
  'fail2ban-server: no socket → not running without a ping; running → ping and status sshd; killed → stale socket is dead',
  { timeout: 120_000 },
  async (t) => {
    if (!requireCommands(t, 'fail2ban-client', 'fail2ban-server')) return;
    const dir = mkdtempSync(join(tmpdir(), 'rampart-f2b-'));
    const conf = join(dir, 'fail2ban');
    cpSync('/etc/fail2ban', conf, { recursive: true });
    const sock = join(dir, 'f2b.sock');
    const pidfile = join(dir, 'f2b.pid');
    writeFileSync(
      join(conf, 'fail2ban.local'),
      `[Definition]\nlogtarget = ${join(dir, 'f2b.log')}\nsocket = ${sock}\npidfile = ${pidfile}\ndbfile = :memory:\n`,
    );
    writeFileSync(join(dir, 'auth.log'), '');
    writeFileSync(
      join(conf, 'jail.local'),
      `[DEFAULT]\nbanaction = dummy\nbanaction_allports = dummy\n\n[sshd]\nenabled = true\nbackend = polling\nlogpath = ${join(dir, 'auth.log')}\n`,
    );
    const client = (...a: string[]) => spawnSync('fail2ban-client', ['-c', conf, ...a], { encoding: 'utf8', timeout: 30_000 });
    t.after(() => {
      client('stop');
      try {
        process.kill(Number(readFileSync(pidfile, 'utf8')), 'SIGKILL');
      } catch {
        /* already gone */
      }
      rmSync(dir, { recursive: true, force: true });
    });

    let f = await live(conf);
    assert.equal(f.server.state, 'not-running');
    assert.match(f.server.detail, /no socket at .*f2b\.sock/);
    assert.equal(f.server.source.command, undefined, 'fail2ban-client ping was not run');
    assert.equal(f.dump.state, 'ok', f.dump.detail);

    const started = client('-x', 'start');
    assert.equal(started.status, 0, started.stderr + started.stdout);
    for (let i = 0; i < 100 && client('ping').status !== 0; i++) await new Promise((r) => setTimeout(r, 100));
    f = await live(conf);
    assert.equal(f.server.state, 'running', f.server.detail);
    assert.match(f.server.source.command ?? '', /ping$/);
    assert.equal(f.sshdStatus?.active, true);
    assert.deepEqual(f.sshdStatus?.fileList, [join(dir, 'auth.log')]);

    process.kill(Number(readFileSync(pidfile, 'utf8')), 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    f = await live(conf);
    assert.equal(f.server.state, 'not-running', 'a socket file with no server behind it');
    assert.match(f.server.source.command ?? '', /ping$/, 'the stale socket was pinged');
  },
);
