import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/net/exposed-services.js';
import { runCheck } from '../../../src/evaluate/engine.js';
import { ctx, snapshotOf } from '../../helpers.js';
import { parseIptablesSave } from '../../../src/collect/parse/iptables-save.js';
import { parseSsListen } from '../../../src/collect/parse/ss-listen.js';
import { failed } from '../../../src/facts/fact.js';
import type { FirewallFacts } from '../../../src/facts/firewall.js';

const SS = [
  'tcp LISTEN 0 511 0.0.0.0:6379 0.0.0.0:* users:(("redis-server",pid=812,fd=6))',
  'tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* users:(("sshd",pid=501,fd=3))',
  'tcp LISTEN 0 128 127.0.0.1:5432 0.0.0.0:* users:(("postgres",pid=900,fd=5))',
  'udp UNCONN 0 0 127.0.0.53%lo:53 0.0.0.0:* users:(("systemd-resolve",pid=400,fd=12))',
].join('\n');
const listeners = { ...parseSsListen(SS, 'ss -Htlnup'), unparsed: [] };

function fw(rules: string, docker: FirewallFacts['docker'] = null): FirewallFacts {
  const t = parseIptablesSave(`*filter\n:INPUT DROP [0:0]\n${rules}\nCOMMIT\n`, { command: 'iptables-nft-save' });
  const v6 = parseIptablesSave('*filter\n:INPUT DROP [0:0]\nCOMMIT\n', { command: 'ip6tables-nft-save' });
  return {
    mode: 'live',
    ufw: null,
    docker,
    notes: [],
    problems: [],
    rulesets: [
      { backend: 'iptables-nft', family: 'ipv4', table: 'filter', chains: t.tables[0]!.chains, source: { command: 'iptables-nft-save' } },
      { backend: 'iptables-nft', family: 'ipv6', table: 'filter', chains: v6.tables[0]!.chains, source: { command: 'ip6tables-nft-save' } },
    ],
  };
}
const nat = parseIptablesSave(
  // docker 20.10 style (see test/fixtures/firewall/docker-published-port.fail/SOURCE.md)
  '*nat\n:DOCKER - [0:0]\n-A DOCKER -i docker0 -j RETURN\n-A DOCKER ! -i docker0 -p tcp -m tcp --dport 6380 -j DNAT --to-destination 172.17.0.2:6379\n-A DOCKER -d 127.0.0.1/32 ! -i docker0 -p tcp -m tcp --dport 8081 -j DNAT --to-destination 172.17.0.3:80\nCOMMIT\n',
  { command: 'iptables-nft-save' },
);
const dnat = nat.tables[0]!.chains.find((c) => c.name === 'DOCKER')!.rules;
const docker: FirewallFacts['docker'] = {
  published: [
    { proto: 'tcp', port: { from: 6380, to: 6380 }, hostAddress: null, to: '172.17.0.2:6379', source: dnat[1]!.source },
    { proto: 'tcp', port: { from: 8081, to: 8081 }, hostAddress: '127.0.0.1', to: '172.17.0.3:80', source: dnat[2]!.source },
  ],
  dockerUserRules: 0,
  source: { command: 'iptables-nft-save' },
};

const cases: { name: string; facts: Parameters<typeof snapshotOf>[0]; live?: boolean; status: string; summary?: RegExp }[] = [
  { name: 'redis dropped by the firewall', facts: { listeners, firewall: fw('-A INPUT -p tcp --dport 22 -j ACCEPT') }, status: 'pass' },
  {
    name: 'redis on 0.0.0.0:6379 accepted',
    facts: { listeners, firewall: fw('-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp --dport 6379 -j ACCEPT') },
    status: 'fail',
    summary: /redis-server/,
  },
  { name: 'no firewall at all', facts: { listeners, firewall: { state: 'absent', reason: 'nothing installed' } }, status: 'fail' },
  {
    name: 'docker published port bypasses ufw',
    facts: { listeners, firewall: fw('-A INPUT -p tcp --dport 22 -j ACCEPT', docker) },
    status: 'fail',
    summary: /Docker 6380\/tcp/,
  },
  {
    name: 'unknown rule decides',
    facts: { listeners, firewall: fw('-A INPUT -m set --match-set allow src -j ACCEPT') },
    status: 'unknown',
  },
  {
    name: 'offline',
    facts: { listeners: failed('offline: listening sockets need a live host'), firewall: fw('') },
    live: false,
    status: 'unknown',
    summary: /offline/,
  },
];

for (const c of cases) {
  test(`net.exposed-services: ${c.name} → ${c.status}`, () => {
    const v = runCheck(check, snapshotOf(c.facts, c.live ?? true), ctx({ live: c.live ?? true, profile: 'strict' }));
    assert.equal(v.status, c.status, v.summary);
    if (c.summary) assert.match(v.summary, c.summary);
    if (v.status === 'fail' && c.name.startsWith('docker'))
      assert.ok(!v.summary.includes('8081'), 'a port published on 127.0.0.1 is not exposed');
  });
}
