// Fixture directories: the offline collector on each case root, and the five checks' verdicts on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG, type Config } from '../../src/config/schema.js';
import { collectRedis } from '../../src/collect/redis.js';
import { redisChecks } from '../../src/checks/redis/index.js';
import type { RedisFacts, RedisInstance } from '../../src/facts/redis.js';
import { ctx, makeTree } from '../helpers.js';
import { caseRoot } from './fixture.js';

async function factsAt(root: string): Promise<RedisFacts> {
  const f = await collectRedis({ target: new FsTarget({ root, name: 'fixture' }), config: DEFAULT_CONFIG, commandTimeoutMs: 2000 });
  assert.equal(f.state, 'collected', JSON.stringify(f));
  return (f as { value: RedisFacts }).value;
}

type Verdicts = Partial<Record<'requirepass' | 'bind-local' | 'dangerous-commands' | 'acl' | 'tls', string>>;
interface Case {
  name: string;
  config?: Partial<Config>;
  expect: Verdicts;
  more?: (i: RedisInstance) => void;
}

const ALL_UNKNOWN: Verdicts = {
  requirepass: 'unknown',
  'bind-local': 'unknown',
  'dangerous-commands': 'unknown',
  acl: 'unknown',
  tls: 'unknown',
};
function refused(name: string, reason: RegExp, line?: number): Case {
  return {
    name,
    expect: ALL_UNKNOWN,
    more: (i) => {
      assert.equal(i.config.status, 'invalid', JSON.stringify(i.config));
      assert.match(i.config.status === 'invalid' ? i.config.reason : '', reason);
      if (line !== undefined) assert.equal(i.config.status === 'invalid' ? i.config.source.line : null, line);
    },
  };
}

const CASES: Case[] = [
  {
    name: 'debian12-default',
    expect: { requirepass: 'fail', 'bind-local': 'pass', 'dangerous-commands': 'fail', acl: 'fail', tls: 'fail' },
    more: (i) => {
      assert.deepEqual(i.bind.value, ['127.0.0.1', '-::1']);
      assert.equal(i.bind.source.line, 87);
      assert.equal(i.protectedMode.source.line, 111);
      assert.equal(i.enableDebug.value, 'no');
      assert.equal(i.live.state, 'offline');
    },
  },
  { name: 'requirepass-weak.fail', expect: { requirepass: 'fail' }, more: (i) => assert.equal(i.auth.passwords[0]?.dictionaryWord, true) },
  {
    name: 'requirepass-strong.pass',
    expect: { requirepass: 'pass', acl: 'fail' },
    more: (i) => assert.equal(i.auth.passwords[0]?.strong, true),
  },
  { name: 'no-password.fail', expect: { requirepass: 'fail' } },
  { name: 'bind-all.fail', expect: { 'bind-local': 'fail' } },
  { name: 'bind-absent.fail', expect: { 'bind-local': 'fail' }, more: (i) => assert.equal(i.bind.defaulted, true) },
  { name: 'bind-internal-allowed.pass', config: { redis_internal_addresses: ['10.0.1.5'] }, expect: { 'bind-local': 'pass' } },
  { name: 'bind-internal-allowed.pass', config: { redis_internal_addresses: [] }, expect: { 'bind-local': 'fail' } },
  { name: 'protected-mode-off.fail', expect: { 'bind-local': 'fail' } },
  {
    name: 'rename-dangerous.pass',
    expect: { 'dangerous-commands': 'pass', requirepass: 'pass' },
    more: (i) => assert.equal(i.renamed.debug?.value, 'removed'),
  },
  {
    name: 'acl-file.pass',
    expect: { acl: 'pass', 'dangerous-commands': 'pass', requirepass: 'warn' },
    more: (i) => assert.equal(i.acl.kind, 'aclfile'),
  },
  { name: 'aclfile-no-default.fail', expect: { requirepass: 'fail', acl: 'fail' }, more: (i) => assert.equal(i.auth.defaultNopass, true) },
  { name: 'acl-default-nopass-all.fail', expect: { acl: 'fail', requirepass: 'fail', 'dangerous-commands': 'fail' } },
  {
    name: 'include-overrides',
    expect: { 'bind-local': 'fail', requirepass: 'fail' },
    more: (i) => {
      assert.equal(i.bind.source.path, '/etc/redis/redis.conf', 'the main file sets bind after the include: it wins');
      assert.equal(i.bind.source.line, 88);
      assert.equal(i.protectedMode.value, 'no');
      assert.equal(i.protectedMode.source.path, '/etc/redis/conf.d/50-site.conf');
      assert.equal(i.auth.requirepass.source.path, '/etc/redis/before.conf');
      assert.deepEqual(i.files, ['/etc/redis/redis.conf', '/etc/redis/before.conf', '/etc/redis/conf.d/50-site.conf']);
    },
  },
  { name: 'tls.pass', expect: { tls: 'pass' } },
  // Configurations redis-server 7.0.15 refuses to start (each checked by hand with the real binary):
  // every item unknown, the reason and file:line named.
  refused('tls-missing-key.refused', /tls-key-file \/etc\/redis\/tls\/redis.key.*Failed to configure TLS/),
  refused('tls-no-ca.refused', /Either tls-ca-cert-file or tls-ca-cert-dir must be specified/),
  refused('tls-placeholder-cert.refused', /Failed to load certificate/),
  refused('protected-mode-bad-value.refused', /argument must be 'yes' or 'no'/, 2277),
  refused('rename-unknown-command.refused', /No such command in rename-command/, 2277),
  refused('memory-fraction.refused', /argument must be a memory value/, 2278),
  refused('bind-twice.refused', /bind lists 127.0.0.1 twice.*Failed listening on port 6379/, 2277),
  refused('dir-missing.refused', /dir \/var\/lib\/redis-nope: No such file or directory/, 2277),
  // "protected-mode no", then "#\0\nprotected-mode yes": fgets keeps "#" only, the next line joins the
  // comment (redis-server 7.0.15 runs with protected-mode no); judging "yes" was a false pass.
  {
    name: 'nul-joins-comment.fail',
    expect: { 'bind-local': 'fail' },
    more: (i) => {
      assert.equal(i.protectedMode.value, 'no');
      assert.equal(i.protectedMode.source.line, 2277);
    },
  },
  {
    name: 'bool-uppercase.pass',
    expect: { 'bind-local': 'pass' },
    more: (i) => {
      assert.equal(i.protectedMode.value, 'yes');
      assert.deepEqual(i.bind.value, ['127.0.0.1', '-::1']);
    },
  },
  {
    name: 'malformed-line',
    expect: { requirepass: 'unknown', 'bind-local': 'unknown', 'dangerous-commands': 'unknown', acl: 'unknown', tls: 'unknown' },
    more: (i) => assert.match(i.config.status === 'invalid' ? i.config.reason : '', /Unbalanced quotes/),
  },
  {
    name: 'binary-garbage',
    expect: { requirepass: 'unknown', 'bind-local': 'unknown', acl: 'unknown', tls: 'unknown' },
    more: (i) => assert.equal(i.config.status, 'invalid'),
  },
];

for (const c of CASES) {
  test(`redis fixture ${c.name}${c.config ? ' ' + JSON.stringify(c.config) : ''}`, async (t) => {
    const f = await factsAt(caseRoot(t, c.name));
    assert.equal(f.instances.length, 1);
    const i = f.instances[0]!;
    c.more?.(i);
    const ev = ctx({ live: false, ...(c.config ? { config: c.config } : {}) });
    for (const [name, status] of Object.entries(c.expect)) {
      const check = redisChecks.find((x) => x.id === `redis.${name}`)!;
      const v = check.evaluate({ redis: f }, ev);
      assert.equal(v.status, status, `redis.${name}: ${v.summary}`);
      if (v.status === 'fail' || v.status === 'warn')
        assert.ok(
          v.findings.some((x) => x.path || x.command),
          `redis.${name} evidence`,
        );
    }
    assert.doesNotMatch(JSON.stringify(f), /Vq2!zR7|passwordpassword|weakword|[0-9a-f]{64}/, 'no password or hash in the facts');
  });
}

test('redis not installed → absent', async (t) => {
  const root = makeTree({ 'etc/hostname': 'x\n' }, t);
  assert.equal(
    (await collectRedis({ target: new FsTarget({ root, name: 'x' }), config: DEFAULT_CONFIG, commandTimeoutMs: 1000 })).state,
    'absent',
  );
});

test('include loop and a missing include are invalid, never a crash', async (t) => {
  const root = makeTree(
    {
      'usr/bin/redis-server': '',
      'etc/redis/redis.conf': 'include /etc/redis/redis.conf\n',
      'etc/redis/b.conf': 'include /etc/redis/none.conf\n',
    },
    t,
  );
  const target = new FsTarget({ root, name: 'x' });
  const f = await collectRedis(
    { target, config: DEFAULT_CONFIG, commandTimeoutMs: 1000 },
    { configPaths: ['/etc/redis/redis.conf', '/etc/redis/b.conf'] },
  );
  assert.equal(f.state, 'collected');
  const [a, b] = (f as { value: RedisFacts }).value.instances;
  assert.match(a?.config.status === 'invalid' ? a.config.reason : '', /include/);
  assert.match(b?.config.status === 'invalid' ? b.config.reason : '', /can't open config file/);
});

test('an include glob that matches nothing is ignored (Redis 7)', async (t) => {
  const root = makeTree({ 'usr/bin/redis-server': '', 'etc/redis/redis.conf': 'include /etc/redis/conf.d/*.conf\nbind 127.0.0.1\n' }, t);
  const f = await factsAt(root);
  assert.equal(f.instances[0]?.config.status, 'ok');
});
