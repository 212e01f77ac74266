// Real components: iptables-restore, nft and ufw load rulesets inside a network namespace this test
// creates; the live collectors run inside it (test/firewall/collect-live.ts) and the checks judge them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { isRoot, requireCommands, ctx, snapshotOf } from '../helpers.js';
import { FIXTURES, sshdOn } from './fixture-facts.js';
import { runCheck } from '../../src/evaluate/engine.js';
import { fwChecks } from '../../src/checks/fw/index.js';
import { netChecks } from '../../src/checks/net/index.js';
import type { Fact } from '../../src/facts/fact.js';
import type { FirewallFacts } from '../../src/facts/firewall.js';
import type { ListenerFacts } from '../../src/facts/listeners.js';

const NS = `rampart-test-${randomBytes(4).toString('hex')}`;
const ROOT = join(import.meta.dirname, '..', '..');
let ready = false;

function sh(argv: string[], input?: string): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { input, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} → ${r.status}: ${r.stderr}`);
  return r.stdout;
}
const inNs = (argv: string[], input?: string) => sh(['ip', 'netns', 'exec', NS, ...argv], input);

function reset(): void {
  for (const t of ['iptables', 'ip6tables'])
    inNs(
      [`${t}-restore`],
      '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n',
    );
  inNs(['nft', 'flush', 'ruleset']);
}

function collect(): { firewall: Fact<FirewallFacts>; listeners: Fact<ListenerFacts> } {
  const out = sh(['ip', 'netns', 'exec', NS, process.execPath, '--import', 'tsx', join(ROOT, 'test/firewall/collect-live.ts')]);
  return JSON.parse(out) as { firewall: Fact<FirewallFacts>; listeners: Fact<ListenerFacts> };
}

function verdicts(facts: ReturnType<typeof collect>): Record<string, string> {
  const snap = snapshotOf({ firewall: facts.firewall, listeners: facts.listeners, sshd: sshdOn([22]) }, true);
  const out: Record<string, string> = {};
  for (const c of [...fwChecks, ...netChecks]) out[c.id] = runCheck(c, snap, ctx({ live: true, profile: 'strict' })).status;
  return out;
}

before(() => {
  if (!isRoot()) return;
  sh(['ip', 'netns', 'add', NS]);
  inNs(['ip', 'link', 'set', 'lo', 'up']);
  ready = true;
});
after(() => {
  if (ready) spawnSync('ip', ['netns', 'del', NS]);
});

function guard(t: Parameters<typeof requireCommands>[0]): boolean {
  if (!requireCommands(t, 'ip', 'iptables-restore', 'nft', 'ufw', 'ss', 'python3')) return false;
  if (!ready) {
    t.skip('needs root to create a network namespace');
    return false;
  }
  return true;
}

test("iptables-restore: the guide's rate limit, then without it", (t) => {
  if (!guard(t)) return;
  reset();
  inNs(['iptables-restore'], readFileSync(join(FIXTURES, 'iptables-guide-ratelimit.pass/etc/iptables/rules.v4'), 'utf8'));
  inNs(['ip6tables-restore'], readFileSync(join(FIXTURES, 'iptables-guide-ratelimit.pass/etc/iptables/rules.v6'), 'utf8'));
  let v = verdicts(collect());
  assert.equal(v['fw.enabled'], 'pass');
  assert.equal(v['fw.default-deny-incoming'], 'pass');
  assert.equal(v['fw.ssh-rate-limit'], 'pass');
  assert.equal(v['fw.allowed-ports-only'], 'pass');
  reset();
  inNs(['iptables-restore'], readFileSync(join(FIXTURES, 'iptables-no-ratelimit.fail/etc/iptables/rules.v4'), 'utf8'));
  v = verdicts(collect());
  assert.equal(v['fw.ssh-rate-limit'], 'fail');
  assert.equal(v['fw.default-deny-incoming'], 'fail', 'IPv6 has no ruleset now');
});

test("nft -f: default drop passes, Debian's default accept fails", (t) => {
  if (!guard(t)) return;
  reset();
  inNs(['nft', '-f', join(FIXTURES, 'nft-default-drop.pass/etc/nftables.conf')]);
  const facts = collect();
  assert.equal(facts.firewall.state, 'collected');
  if (facts.firewall.state === 'collected')
    assert.ok(facts.firewall.value.rulesets.some((r) => r.backend === 'nftables' && r.table === 'inet filter'));
  let v = verdicts(facts);
  assert.equal(v['fw.enabled'], 'pass');
  assert.equal(v['fw.default-deny-incoming'], 'pass');
  assert.equal(v['fw.ssh-rate-limit'], 'pass');
  assert.equal(v['fw.ssh-admin-sources'], 'pass');
  reset();
  inNs(['nft', '-f', join(FIXTURES, 'nft-accept-policy.fail/etc/nftables.conf')]);
  v = verdicts(collect());
  assert.equal(v['fw.enabled'], 'fail');
  assert.equal(v['fw.default-deny-incoming'], 'fail');
});

test("ufw --rootdir: the guide's commands, enabled for real", (t) => {
  if (!guard(t)) return;
  reset();
  const r = mkdtempSync(join(tmpdir(), 'rampart-ufw-'));
  t.after(() => rmSync(r, { recursive: true, force: true }));
  mkdirSync(join(r, 'etc/default'), { recursive: true });
  mkdirSync(join(r, 'lib'), { recursive: true });
  cpSync('/etc/ufw', join(r, 'etc/ufw'), { recursive: true });
  cpSync('/etc/default/ufw', join(r, 'etc/default/ufw'));
  cpSync('/lib/ufw', join(r, 'lib/ufw'), { recursive: true });
  const ufw = (...a: string[]) => inNs(['ufw', `--rootdir=${r}`, `--datadir=${r}`, ...a]);
  ufw('default', 'deny', 'incoming');
  ufw('default', 'allow', 'outgoing');
  ufw('allow', '80/tcp');
  ufw('allow', '443/tcp');
  ufw('limit', '22/tcp');
  ufw('--force', 'enable');
  const facts = collect();
  const v = verdicts(facts);
  assert.equal(facts.firewall.state === 'collected' && facts.firewall.value.ufw?.active?.value, true, 'ufw chains are in the kernel');
  assert.equal(v['fw.enabled'], 'pass');
  assert.equal(v['fw.default-deny-incoming'], 'pass');
  assert.equal(v['fw.allowed-ports-only'], 'pass');
  assert.equal(v['fw.ssh-rate-limit'], 'pass');
  assert.equal(v['fw.ssh-admin-sources'], 'fail');
  ufw('allow', '6379/tcp');
  assert.equal(verdicts(collect())['fw.allowed-ports-only'], 'fail');
  ufw('--force', 'disable');
});

test('a real listener: flagged when accepted, passes when dropped', async (t) => {
  if (!guard(t)) return;
  reset();
  const child: ChildProcess = spawn('ip', ['netns', 'exec', NS, 'python3', '-m', 'http.server', '8080', '--bind', '0.0.0.0'], {
    stdio: 'ignore',
  });
  t.after(() => {
    child.kill();
  });
  for (let i = 0; i < 50 && !inNs(['ss', '-Htln']).includes(':8080'); i++) await new Promise((res) => setTimeout(res, 100));
  inNs(
    ['iptables-restore'],
    '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\n-A INPUT -p tcp --dport 8080 -j ACCEPT\nCOMMIT\n',
  );
  inNs(['ip6tables-restore'], '*filter\n:INPUT DROP [0:0]\nCOMMIT\n');
  const facts = collect();
  assert.ok(
    facts.listeners.state === 'collected' &&
      facts.listeners.value.listeners.some((l) => l.port === 8080 && l.processes.some((p) => p.name === 'python3')),
  );
  assert.equal(verdicts(facts)['net.exposed-services'], 'fail');
  inNs(['iptables-restore'], '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
  assert.equal(verdicts(collect())['net.exposed-services'], 'pass');
});

test('docker DNAT loaded with iptables-restore: published port is a finding even with INPUT drop', (t) => {
  if (!guard(t)) return;
  reset();
  inNs(['iptables-restore'], readFileSync(join(FIXTURES, 'docker-published-port.fail/iptables-save.v4'), 'utf8'));
  inNs(['ip6tables-restore'], '*filter\n:INPUT DROP [0:0]\nCOMMIT\n');
  const facts = collect();
  assert.ok(facts.firewall.state === 'collected' && facts.firewall.value.docker?.published.some((p) => p.port.from === 6379));
  const snap = snapshotOf({ firewall: facts.firewall, listeners: facts.listeners }, true);
  const v = runCheck(netChecks[0]!, snap, ctx({ live: true, profile: 'strict' }));
  assert.equal(v.status, 'fail');
  assert.match(v.summary + v.findings.map((f) => f.message).join(' '), /6379/);
  assert.doesNotMatch(v.findings.map((f) => f.message).join(' '), /8081/);
});

test('iptables-legacy: read when the kernel holds a legacy table, not run (with the reason) when it holds none', (t) => {
  if (!guard(t) || !requireCommands(t, 'iptables-legacy-restore')) return;
  // a namespace of its own: a legacy table, once created, stays registered in its namespace
  const ns = `rampart-legacy-${randomBytes(4).toString('hex')}`;
  sh(['ip', 'netns', 'add', ns]);
  t.after(() => spawnSync('ip', ['netns', 'del', ns]));
  const collectIn = () =>
    JSON.parse(
      sh(['ip', 'netns', 'exec', ns, process.execPath, '--import', 'tsx', join(ROOT, 'test/firewall/collect-live.ts')]),
    ) as ReturnType<typeof collect>;
  let facts = collectIn();
  assert.equal(facts.firewall.state, 'collected');
  if (facts.firewall.state !== 'collected') return;
  assert.ok(
    facts.firewall.value.notes.some((n) => n.path === '/proc/net/ip_tables_names' && /iptables-legacy-save not run/.test(n.note ?? '')),
    JSON.stringify(facts.firewall.value.notes),
  );
  assert.ok(!facts.firewall.value.rulesets.some((r) => r.backend === 'iptables-legacy'));
  assert.deepEqual(facts.firewall.value.ufw?.active?.value, false, 'no ufw chain in the kernel');
  assert.doesNotMatch(
    facts.firewall.value.ufw?.active?.source.command ?? '',
    /ufw status/,
    'the kernel rulesets answered, ufw status was not needed',
  );

  sh(['ip', 'netns', 'exec', ns, 'iptables-legacy-restore'], '*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n');
  facts = collectIn();
  if (facts.firewall.state !== 'collected') return assert.fail('not collected');
  const legacy = facts.firewall.value.rulesets.find((r) => r.backend === 'iptables-legacy' && r.family === 'ipv4');
  assert.equal(legacy?.source.command, 'iptables-legacy-save');
  assert.ok(legacy?.chains.some((c) => c.name === 'INPUT' && c.policy === 'drop'));
  const snap = snapshotOf({ firewall: facts.firewall, listeners: facts.listeners, sshd: sshdOn([22]) }, true);
  assert.equal(
    runCheck(
      fwChecks.find((c) => c.id === 'fw.enabled')!,
      snap,
      ctx({ live: true, profile: 'strict' }),
    ).status,
    'pass',
  );
});
