// Real component proof: fail2ban's own client decides the effective sshd jail of each fixture
// config dir; the offline parser must reach the same values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { collectFail2ban } from '../../src/collect/fail2ban.js';
import { parseFail2banDump } from '../../src/collect/parse/fail2ban-dump.js';
import { str2seconds } from '../../src/collect/parse/fail2ban-time.js';
import type { Fail2banFacts } from '../../src/facts/fail2ban.js';
import { requireCommands } from '../helpers.js';
import { caseRoot, FIXTURES } from './fixture.js';

const CASES = readdirSync(FIXTURES)
  .filter((n) => n !== 'debian12-base' && !n.endsWith('.md'))
  .sort();

// fail2ban's JailReader, for the raw (interpolated, not globbed) logpath the dump leaves out.
const PY_READER = `
import json, sys
from fail2ban.client.jailreader import JailReader
j = JailReader('sshd', basedir=sys.argv[1])
j.read(); j.getOptions()
o = j.options
print(json.dumps({'enabled': bool(o.get('enabled')), 'logpath': o.get('logpath'), 'port': j.get('sshd', 'port')}))
`;

/** The interpreter fail2ban-client runs with (its shebang): the one that has the fail2ban module. */
function fail2banPython(): string {
  const client = execFileSync('sh', ['-c', 'command -v fail2ban-client'], { encoding: 'utf8' }).trim();
  const m = /^#!\s*(\S+)/.exec(readFileSync(client, 'utf8').split('\n')[0] ?? '');
  return m?.[1] ?? 'python3';
}

async function offline(root: string): Promise<Fail2banFacts> {
  const fact = await collectFail2ban({ target: new FsTarget({ root, name: 'fixture' }), config: DEFAULT_CONFIG, commandTimeoutMs: 10_000 });
  assert.equal(fact.state, 'collected');
  return (fact as { value: Fail2banFacts }).value;
}

for (const name of CASES) {
  test(`fail2ban-client -d and the offline parser agree: ${name}`, async (t) => {
    if (!requireCommands(t, 'fail2ban-client')) return;
    const root = caseRoot(t, name);
    const confDir = join(root, 'etc', 'fail2ban');
    const real = spawnSync('fail2ban-client', ['-c', confDir, '-d'], { encoding: 'utf8', timeout: 30_000 });
    const mine = await offline(root);
    const rejected = /configuration stream failed/.test(real.stdout + real.stderr);
    if (rejected) {
      assert.equal(mine.config.status, 'invalid', `fail2ban rejects ${name}; the parser must too`);
      return;
    }
    assert.equal(mine.config.status, 'ok', JSON.stringify(mine.config));
    const dump = parseFail2banDump(real.stdout);
    const jail = mine.sshdJail;
    assert.ok(jail, 'an [sshd] section');
    const d = dump.jails.sshd;
    assert.equal(jail.enabled.value, d !== undefined, 'enabled');
    if (!d) return;
    assert.equal(jail.maxretry.value, d.options.maxretry, 'maxretry');
    for (const k of ['bantime', 'findtime'] as const) {
      const r = str2seconds(String(d.options[k]));
      assert.ok(r.ok);
      assert.equal(jail[k].value, r.seconds, k);
      assert.equal(jail[k].text, String(d.options[k]), `${k} text`);
    }
    assert.equal(jail.backend.value, d.backend, 'backend');
    assert.equal(jail.port.text, d.actions[0]?.port, 'port of the ban action');
    assert.deepEqual(
      jail.actions.value,
      d.actions.map((a) => a.name),
      'actions',
    );
    const py = JSON.parse(
      execFileSync(fail2banPython(), ['-c', PY_READER, confDir], {
        encoding: 'utf8',
        timeout: 30_000,
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as { enabled: boolean; logpath: string | null; port: string };
    assert.equal(jail.enabled.value, py.enabled);
    assert.deepEqual(jail.logpath.value, (py.logpath ?? '').split('\n').filter(Boolean), 'logpath');
  });
}
