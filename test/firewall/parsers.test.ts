import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIptablesSave } from '../../src/collect/parse/iptables-save.js';
import { parseNftConf } from '../../src/collect/parse/nft-conf.js';
import { parseNftJson } from '../../src/collect/parse/nft-json.js';
import { parseSsListen } from '../../src/collect/parse/ss-listen.js';
import { parseUfwTuples } from '../../src/collect/parse/ufw-conf.js';
import { FIXTURES, fixtureFacts } from './fixture-facts.js';

test('iptables-save: policies, multiport, limit, line numbers', () => {
  const p = parseIptablesSave(readFileSync(join(FIXTURES, 'iptables-guide-ratelimit.pass/etc/iptables/rules.v4'), 'utf8'), {
    path: '/etc/iptables/rules.v4',
  });
  assert.deepEqual(p.errors, []);
  const input = p.tables[0]!.chains.find((c) => c.name === 'INPUT')!;
  assert.equal(input.policy, 'drop');
  assert.equal(input.rules[2]!.source.line, 8);
  assert.ok(input.rules[2]!.matches.some((m) => m.kind === 'ratelimit' && m.matchesWhen === 'under'));
  assert.deepEqual(
    input.rules[4]!.matches.find((m) => m.kind === 'dport'),
    {
      kind: 'dport',
      ports: [
        { from: 80, to: 80 },
        { from: 443, to: 443 },
      ],
      negate: false,
    },
  );
});

test('iptables-save: malformed lines and a missing COMMIT are errors, not a crash', () => {
  const p = parseIptablesSave('garbage\n*filter\n:INPUT DROP [0:0]\nnot a rule\n', { path: 'x' });
  assert.equal(p.errors.length, 3);
  const bin = parseIptablesSave('\u0000\u0001\u0002*filter\nCOMMIT\n', { path: 'x' });
  assert.ok(bin.errors.length >= 1);
});

test('nftables.conf: define, sets, policy, limit rate over', () => {
  const text = readFileSync(join(FIXTURES, 'nft-default-drop.pass/etc/nftables.conf'), 'utf8');
  const p = parseNftConf({ path: '/etc/nftables.conf', text }, {});
  assert.deepEqual(p.errors, []);
  const input = p.rulesets[0]!.chains.find((c) => c.name === 'input')!;
  assert.equal(input.hook, 'input');
  assert.equal(input.policy, 'drop');
  assert.ok(input.rules.some((r) => r.matches.some((m) => m.kind === 'saddr' && m.cidrs[0] === '198.51.100.0/24')));
  assert.ok(input.rules.some((r) => r.matches.some((m) => m.kind === 'ratelimit' && m.matchesWhen === 'over') && r.source.line === 13));
});

test('nftables.conf: unbalanced braces and unknown statements are reported', () => {
  const p = parseNftConf(
    { path: 'f', text: 'table inet filter {\n chain input {\n type filter hook input priority 0; policy drop;\n' },
    {},
  );
  assert.ok(p.errors.some((e) => /no matching/.test(e.message)));
  const q = parseNftConf({ path: 'f', text: 'include "/etc/nft.d/*.nft"\nfrobnicate everything\n' }, {});
  assert.equal(q.errors.length, 2);
});

test('nft -j: JSON with sets, meters and handles', () => {
  const json = JSON.stringify({
    nftables: [
      { table: { family: 'inet', name: 'f', handle: 1 } },
      { set: { family: 'inet', name: 'web', table: 'f', type: 'inet_service', elem: [80, 443] } },
      { chain: { family: 'inet', table: 'f', name: 'in', handle: 1, type: 'filter', hook: 'input', prio: 0, policy: 'drop' } },
      {
        rule: {
          family: 'inet',
          table: 'f',
          chain: 'in',
          handle: 5,
          expr: [{ match: { op: '==', left: { payload: { protocol: 'tcp', field: 'dport' } }, right: '@web' } }, { accept: null }],
        },
      },
      {
        rule: {
          family: 'inet',
          table: 'f',
          chain: 'in',
          handle: 6,
          expr: [{ meter: { key: {}, stmt: { limit: { rate: 3, per: 'minute' } }, name: 'm' } }, { accept: null }],
        },
      },
    ],
  });
  const p = parseNftJson(json, 'nft -j list ruleset', 'table inet f {\n\tchain in {\n\t\ttcp dport @web accept # handle 5\n');
  const chain = p.rulesets[0]!.chains[0]!;
  assert.deepEqual(chain.rules[0]!.source, { command: 'nft -a list ruleset', line: 3 });
  assert.deepEqual(chain.rules[0]!.matches[1], {
    kind: 'dport',
    ports: [
      { from: 80, to: 80 },
      { from: 443, to: 443 },
    ],
    negate: false,
  });
  assert.equal(chain.rules[1]!.matches[0]!.kind, 'ratelimit');
  assert.equal(parseNftJson('not json', 'nft -j list ruleset').errors.length, 1);
});

test('ss: addresses, interfaces, processes', () => {
  const p = parseSsListen(
    [
      'tcp LISTEN 0 5 0.0.0.0:8080 0.0.0.0:* users:(("python3",pid=13201,fd=3))',
      'tcp LISTEN 0 128 [::]:22 [::]:* users:(("sshd",pid=1,fd=4),("sshd",pid=2,fd=4))',
      'tcp LISTEN 0 511 *:80 *:*',
      'udp UNCONN 0 0 127.0.0.53%lo:53 0.0.0.0:*',
      'garbage',
    ].join('\n'),
    'ss -Htlnup',
  );
  assert.equal(p.listeners.length, 4);
  assert.deepEqual(p.listeners[1]!.families, ['ipv6']);
  assert.equal(p.listeners[1]!.processes.length, 2);
  assert.deepEqual(p.listeners[2]!.families, ['ipv4', 'ipv6']);
  assert.equal(p.listeners[3]!.loopback, true);
  assert.equal(p.unparsed.length, 1);
});

test('ufw tuples from the real user.rules', () => {
  const t = parseUfwTuples(readFileSync(join(FIXTURES, 'ufw-guide.pass/etc/ufw/user.rules'), 'utf8'), '/etc/ufw/user.rules', 'ipv4');
  assert.deepEqual(
    t.map((x) => `${x.action} ${x.dport}/${x.proto}`),
    ['limit 22/tcp', 'allow 80/tcp', 'allow 443/tcp'],
  );
});

test('collector offline: a service not enabled at boot loads nothing (noted)', async () => {
  const f = await fixtureFacts('ufw-inactive.fail');
  assert.equal(f.state, 'collected');
  if (f.state === 'collected') {
    assert.equal(f.value.rulesets.length, 0);
    assert.ok(f.value.notes.some((n) => /ENABLED=no/.test(n.note ?? '')));
  }
  assert.equal((await fixtureFacts('no-firewall.fail')).state, 'absent');
});
