// collect/host/: the account database, processes and mounts read once per collection run, through the Target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { collectFacts } from '../../src/collect/run.js';
import { COLLECTORS } from '../../src/collect/index.js';
import { hostOf } from '../../src/collect/host/index.js';
import { textRecords } from '../../src/collect/host/accounts.js';
import { makeTree } from '../helpers.js';

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\n';
const GROUP = 'root:x:0:\nssh-users:x:1001:alice\n';

/** A target that counts the reads of each path. */
function counting(root: string) {
  const target = new FsTarget({ root, name: 'img' });
  const reads = new Map<string, number>();
  const readBytes = target.readBytes.bind(target);
  const readText = target.readText.bind(target);
  const count = (p: string) => reads.set(p, (reads.get(p) ?? 0) + 1);
  target.readBytes = (p, o) => (count(p), readBytes(p, o));
  target.readText = (p, o) => (count(p), readText(p, o));
  return { target, reads };
}

test('one run reads /etc/passwd and /etc/group once, whichever collectors ask (accounts, sshd, ids)', async (t) => {
  const root = makeTree(
    {
      'etc/passwd': PASSWD,
      'etc/group': GROUP,
      'etc/shadow': 'root:*:19000:0:99999:7:::\n',
      'etc/ssh/sshd_config': 'PermitRootLogin no\n',
    },
    t,
  );
  const { target, reads } = counting(root);
  const ctx = { target, config: DEFAULT_CONFIG, commandTimeoutMs: 5000 };
  const { facts } = await collectFacts(COLLECTORS, ['accounts', 'sshd', 'ids', 'services'], ctx, 30_000);
  assert.equal(facts.accounts?.state, 'collected');
  assert.equal(reads.get('/etc/passwd'), 1);
  assert.equal(reads.get('/etc/group'), 1);
  assert.equal(reads.get('/etc/shadow'), 1);
  // A new run (a new context) reads again.
  await collectFacts(COLLECTORS, ['accounts'], { ...ctx }, 30_000);
  assert.equal(reads.get('/etc/passwd'), 2);
});

test('hostOf: one set of services per context; ctx.host when the runner gives one', () => {
  const target = new FsTarget({ root: '/nonexistent', name: 'img' });
  const ctx = { target, config: DEFAULT_CONFIG, commandTimeoutMs: 5000 };
  assert.equal(hostOf(ctx), hostOf(ctx));
  assert.notEqual(hostOf(ctx), hostOf({ ...ctx }));
  const given = hostOf({ ...ctx });
  assert.equal(hostOf({ ...ctx, host: given }), given);
});

test('accounts: a passwd with a NUL is parsed for the account database but gives no records to a text reader', async (t) => {
  const root = makeTree({ 'etc/passwd': `${PASSWD}\0garbage\n`, 'etc/group': GROUP }, t);
  const db = await hostOf({ target: new FsTarget({ root, name: 'img' }) }).accounts();
  assert.ok(db.passwd.ok && db.passwd.binary);
  assert.deepEqual(db.passwd.ok ? db.passwd.parsed.records.map((r) => r.name) : [], ['root', 'alice']);
  assert.deepEqual(textRecords(db.passwd), []);
  assert.deepEqual(
    textRecords(db.group).map((g) => g.members),
    [[], ['alice']],
  );
  assert.equal(db.shadow.ok, false);
  assert.equal(!db.shadow.ok && db.shadow.missing, true);
});

test('processes and mounts: offline there are none (an image has no running kernel), said so', async (t) => {
  const root = makeTree({ 'proc/self/mountinfo': '22 1 8:1 / / rw - ext4 /dev/sda1 rw\n' }, t);
  const host = hostOf({ target: new FsTarget({ root, name: 'img' }) });
  assert.equal(await host.processes(), null);
  const m = await host.mounts();
  assert.equal(m.ok, false);
  assert.match(m.ok ? '' : m.reason, /offline root/);
});

test('processes and mounts live: this machine through the Target, read once', async () => {
  const host = hostOf({ target: new FsTarget({ name: 'live' }) });
  const [p1, p2] = [host.processes(), host.processes()];
  assert.equal(p1, p2, 'the same promise: listed once');
  const procs = await p1;
  assert.ok(
    procs?.some((p) => p.pid === process.pid),
    'this test process is listed',
  );
  const m = await host.mounts();
  assert.ok(m.ok, m.ok ? '' : m.reason);
  assert.ok(m.mounts.some((x) => x.mountPoint === '/'));
  assert.deepEqual(m.source, { path: '/proc/self/mountinfo' });
});
