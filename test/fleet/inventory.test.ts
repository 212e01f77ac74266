// Inventories: scenarios, then the agreement with ansible-core on 300 generated inventories.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { makeTree, requireCommands } from '../helpers.js';
import { loadInventory } from '../../src/fleet/inventory-load.js';
import { connectionOf, expandHostRange, parseInventory, selectHosts, splitHostPattern } from '../../src/fleet/inventory.js';
import { agreeInventories, agreementLine, runAnsible } from './agree-inventory.js';

const INI = `loose ansible_port=2201
[web]
web[01:03] ansible_user=deploy
[db]
db-[a:c]:2222 ansible_become=yes
[prod:children]
web
db
[prod:vars]
ansible_ssh_common_args='-o ProxyJump=bastion'
tier=prod
`;

test('ranges: numeric with padding, alphabetic, steps, several in one name', () => {
  assert.deepEqual(expandHostRange('web[01:03]'), ['web01', 'web02', 'web03']);
  assert.deepEqual(expandHostRange('db-[a:c]'), ['db-a', 'db-b', 'db-c']);
  assert.deepEqual(expandHostRange('n[1:9:4]'), ['n1', 'n5', 'n9']);
  assert.deepEqual(expandHostRange('h[1:2]x[a:b]'), ['h1xa', 'h1xb', 'h2xa', 'h2xb']);
  assert.throws(() => expandHostRange('w[01:100]'), /equal-length/);
});

test('INI: groups, children, host:port, vars precedence and connection settings with their file:line', () => {
  const r = parseInventory(INI, 'hosts.ini');
  assert.ok(r.ok);
  const inv = r.value;
  assert.deepEqual(inv.hostsOf('prod'), ['web01', 'web02', 'web03', 'db-a', 'db-b', 'db-c']);
  assert.deepEqual(inv.groups.get('ungrouped')?.hosts, ['loose']);
  const c = connectionOf(inv, 'db-b');
  assert.ok(c.ok);
  assert.equal(c.value.port, 2222);
  assert.equal(c.value.become, true);
  assert.equal(c.value.commonArgs, '-o ProxyJump=bastion');
  assert.deepEqual(c.value.commonArgv, ['-o', 'ProxyJump=bastion']);
  assert.equal(c.value.sources.ansible_ssh_common_args, 'hosts.ini:10');
  assert.equal(c.value.address, 'db-b');
});

test('--limit: a:b, &, !, globs, ~regex, subscripts, @file', () => {
  const r = parseInventory(INI, 'hosts.ini');
  assert.ok(r.ok);
  const sel = (l: string) => {
    const s = selectHosts(r.value, l, { readText: () => ({ ok: true, text: 'web01\n!db-a\n' }) });
    assert.ok(s.ok, l);
    return s.hosts;
  };
  assert.deepEqual(sel('web:db'), ['web01', 'web02', 'web03', 'db-a', 'db-b', 'db-c']);
  assert.deepEqual(sel('prod:&db'), ['db-a', 'db-b', 'db-c']);
  assert.deepEqual(sel('prod:!web[1:]'), ['web01', 'db-a', 'db-b', 'db-c']);
  assert.deepEqual(sel('web0*,~db-[ab]'), ['web01', 'web02', 'web03', 'db-a', 'db-b']);
  assert.deepEqual(sel('db[-1]'), ['db-c']);
  assert.deepEqual(sel('@list:db'), ['web01', 'db-b', 'db-c']);
  assert.deepEqual(splitHostPattern('10.0.0.1:22'), ['10.0.0.1:22']);
  assert.equal(selectHosts(r.value, 'db[7]').ok, false);
});

test('errors carry file:line; a hostile host name is refused in INI and stays a plain name in YAML', () => {
  const bad = parseInventory('[web]\nweb1\nweb2 novalue\n', '/inv/hosts');
  assert.ok(!bad.ok);
  assert.deepEqual([bad.error.file, bad.error.line], ['/inv/hosts', 3]);
  assert.match(bad.error.message, /Expected key=value/);
  const undef = parseInventory('[p:children]\nnothere\n', 'i');
  assert.ok(!undef.ok);
  assert.equal(undef.error.line, 2);
  assert.ok(!parseInventory('x;touch /tmp/pwned\n', 'i').ok);
  const y = parseInventory('all:\n  hosts:\n    "x;touch /tmp/pwned":\n      ansible_port: 22\n', 'i.yml');
  assert.ok(y.ok);
  assert.deepEqual([...y.value.hosts.keys()], ['x;touch /tmp/pwned']);
  const yb = parseInventory('all:\n  hosts:\n    a: [\n', 'i.yml');
  assert.ok(!yb.ok);
  assert.equal(yb.error.file, 'i.yml');
  assert.equal(typeof yb.error.line, 'number');
  const loop = parseInventory('a:\n  children:\n    b:\n      children:\n        a: {}\n', 'loop.yml');
  assert.ok(!loop.ok);
  assert.match(loop.error.message, /recursive dependency loop/);
});

test('group_vars/ and host_vars/ beside the inventory: files, extensions, directories', (t) => {
  const root = makeTree(
    {
      'hosts.yml': 'all:\n  children:\n    web:\n      hosts:\n        web01:\n        web02:\n      vars:\n        tier: inline\n',
      'group_vars/all.yml': 'ansible_user: ops\n',
      'group_vars/web/10.yml': 'tier: dir10\n',
      'group_vars/web/20.yml': 'tier: dir20\n',
      'group_vars/web/.hidden.yml': 'tier: hidden\n',
      'host_vars/web02': 'ansible_user: special\n',
    },
    t,
  );
  const r = loadInventory(join(root, 'hosts.yml'));
  assert.ok(r.ok);
  assert.equal(r.value.hostVars('web01').get('tier')?.value, 'dir20');
  assert.equal(r.value.hostVars('web01').get('ansible_user')?.value, 'ops');
  assert.equal(r.value.hostVars('web02').get('ansible_user')?.value, 'special');
  assert.equal(r.value.hostVars('web02').get('ansible_user')?.source, join(root, 'host_vars/web02:1'));
});

test('the truth script agrees with the real ansible-inventory --list and ansible --list-hosts', (t) => {
  if (!requireCommands(t, 'ansible-inventory', 'ansible')) return;
  const root = makeTree({ 'inv.ini': INI, 'group_vars/web.yml': 'tier: gv\n', cwd: { dir: true } }, t);
  const file = join(root, 'inv.ini');
  const env = { ...process.env, HOME: root, ANSIBLE_LOCAL_TEMP: join(root, 'tmp'), ANSIBLE_NOCOLOR: '1' };
  const list = spawnSync('ansible-inventory', ['-i', file, '--list'], { encoding: 'utf8', cwd: join(root, 'cwd'), env });
  assert.equal(list.status, 0, list.stderr);
  const real = JSON.parse(list.stdout) as { _meta: { hostvars: Record<string, unknown> } };
  const hosts = spawnSync('ansible', ['-i', file, 'all', '--list-hosts', '--limit', 'prod:!db-b'], {
    encoding: 'utf8',
    cwd: join(root, 'cwd'),
    env,
  });
  assert.equal(hosts.status, 0, hosts.stderr);
  const [truth] = runAnsible([{ file, limits: ['prod:!db-b'] }], join(root, 'cwd'));
  assert.ok(truth && !('error' in truth));
  assert.deepEqual(truth.hostvars, real._meta.hostvars);
  const listed = hosts.stdout
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter(Boolean);
  assert.deepEqual(truth.limits[0], { hosts: listed });
});

test('agreement with ansible-core on 300 generated inventories (groups, children, host vars, --limit)', (t) => {
  if (!requireCommands(t, 'ansible-inventory')) return;
  const a = agreeInventories(300, 1);
  t.diagnostic(agreementLine(a));
  const classes = [...a.classes].map(([c, { count, example }]) => `${c}: ${count} (${example})`);
  assert.deepEqual(classes, []);
  assert.equal(a.falsePass, 0);
  assert.ok(a.items > 3000);
  assert.ok(a.refused >= 5, `the generator makes inventories Ansible refuses (${a.refused})`);
});
