// The firewall remedies for real (issue 12): `rampart fix --apply --allow-disruptive --only fw` runs
// the fw.enabled recipe's ufw commands inside a network namespace this test creates, on a private
// copy of /etc/ufw and /etc/default (bind-mounted over them in a private mount namespace: the host's
// files and kernel rulesets are never touched). After the apply, `rampart audit` of the namespace's
// firewall requirements passes; `rampart rollback` puts the files back byte for byte and the kernel
// rulesets back exactly (iptables-save / ip6tables-save equal, generated-at comments aside). The
// lockout proof, which runs the same ufw commands in a throwaway namespace and judges the candidate
// ruleset, refuses when the port a real sshd listens on in the namespace is not allowed, and nothing changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { isRoot, requireCommands } from '../helpers.js';
import { picture } from './setup.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ENTRY = join(import.meta.dirname, 'cli-entry.ts');
const NOW = ['--now', '2026-12-01T00:00:00Z'];
let ready = false;
const namespaces: string[] = [];

function sh(argv: string[], input?: string): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { input, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} → ${r.status}: ${r.stderr}`);
  return r.stdout;
}

before(() => {
  ready = isRoot();
});
after(() => {
  for (const ns of namespaces) spawnSync('ip', ['netns', 'del', ns]);
});

interface Lab {
  ns: string;
  dir: string;
  etc: string;
  state: string;
  inNs: (argv: string[], input?: string) => string;
  /** rampart in the namespace, with the private /etc/ufw and /etc/default mounted over the host's. */
  rampart: (args: string[], env?: Record<string, string>) => { code: number | null; stdout: string; stderr: string };
  rulesets: () => string;
}

function guard(t: TestContext): boolean {
  if (!requireCommands(t, 'ip', 'ufw', 'iptables-save', 'ip6tables-save', 'nft', 'unshare', 'nsenter', 'ss')) return false;
  if (!ready) {
    t.skip('needs root (network and mount namespaces)');
    return false;
  }
  return true;
}

function lab(t: TestContext): Lab {
  const ns = `rampart-fixfw-${randomBytes(4).toString('hex')}`;
  sh(['ip', 'netns', 'add', ns]);
  namespaces.push(ns);
  const inNs = (argv: string[], input?: string) => sh(['ip', 'netns', 'exec', ns, ...argv], input);
  inNs(['ip', 'link', 'set', 'lo', 'up']);
  const dir = mkdtempSync(join(tmpdir(), 'rampart-fixfw-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const etc = join(dir, 'etc');
  cpSync('/etc/ufw', join(etc, 'ufw'), { recursive: true });
  cpSync('/etc/default', join(etc, 'default'), { recursive: true });
  const state = join(dir, 'state');
  const script = ['mount --bind "$1/ufw" /etc/ufw', 'mount --bind "$1/default" /etc/default', 'shift', 'exec ip netns exec "$0" "$@"'].join(
    ' && ',
  );
  const rampart = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(
      'unshare',
      ['-m', '--propagation', 'private', 'sh', '-c', script, ns, etc, process.execPath, '--import', 'tsx', ENTRY, ...args],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 240_000,
        env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', HOME: '/root', RAMPART_STATE_DIR: state, ...env },
      },
    );
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const rulesets = () => ['iptables-save', 'ip6tables-save'].map((c) => inNs([c]).replace(/^#.*\n/gm, '')).join('--- ipv6\n');
  return { ns, dir, etc, state, inNs, rampart, rulesets };
}

function fwStatuses(l: Lab): Record<string, string> {
  const r = l.rampart(['audit', '--only', 'fw', '--format', 'json', '--no-store', ...NOW]);
  assert.ok(r.stdout.startsWith('{'), r.stderr);
  const j = JSON.parse(r.stdout) as { results: { id: string; status: string; summary: string }[] };
  return Object.fromEntries(j.results.map((x) => [x.id, `${x.status}: ${x.summary}`]));
}

const status = (s: string | undefined) => s?.split(':')[0];
const SESSION = { SSH_CONNECTION: '192.0.2.10 50000 192.0.2.1 22' };

for (const baseline of ['none', 'iptables'] as const)
  test(
    `ufw remedies in a network namespace (${baseline === 'none' ? 'no ruleset loaded, as on a fresh Debian' : 'a ruleset loaded before'}): apply, audit passes, rollback restores files and iptables-save exactly`,
    { timeout: 600_000 },
    (t) => {
      if (!guard(t)) return;
      const l = lab(t);
      if (baseline === 'iptables') {
        l.inNs(
          ['iptables-restore'],
          '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -d 198.51.100.7/32 -j DROP\nCOMMIT\n*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -d 198.51.100.0/24 -j RETURN\nCOMMIT\n',
        );
        l.inNs(['ip6tables-restore'], '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n');
      }
      const filesBefore = picture(l.etc);
      const kernelBefore = l.rulesets();
      const before0 = fwStatuses(l);
      assert.equal(status(before0['fw.enabled']), 'fail', before0['fw.enabled']);

      const dry = l.rampart(['fix', '--allow-disruptive', '--only', 'fw', ...NOW], SESSION);
      assert.equal(dry.code, 0, dry.stdout + dry.stderr);
      assert.match(dry.stdout, /Commands \(run by --apply/);
      assert.match(dry.stdout, /ufw limit 22\/tcp +\(allow SSH, rate limited/);
      assert.match(dry.stdout, /undo: restore .*\/etc\/ufw\/user\.rules.* and the kernel rulesets/);
      assert.match(dry.stdout, /apt-get install -y ufw: not run, ufw is installed/);
      assert.deepEqual(picture(l.etc), filesBefore, 'the dry run writes nothing');
      assert.equal(l.rulesets(), kernelBefore, 'the dry run (and its lockout simulation) changes no kernel ruleset');

      const r = l.rampart(['fix', '--apply', '--allow-disruptive', '--only', 'fw', ...NOW], SESSION);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const runId = /applied: run (\S+), 0 file\(s\) changed, 6 command\(s\) run/.exec(r.stdout)?.[1];
      assert.ok(runId, r.stdout);
      assert.match(r.stdout, /ran ufw --force enable: exit 0\n {4}Firewall is active and enabled on system startup/);
      const receipt = join(l.state, 'runs', runId, 'commands');
      assert.ok(existsSync(join(receipt, '5.out')) && readdirSync(receipt).includes('0.ipv4'), readdirSync(receipt).join(' '));
      assert.match(readFileSync(join(l.etc, 'ufw', 'ufw.conf'), 'utf8'), /^ENABLED=yes$/m);
      assert.match(readFileSync(join(l.etc, 'ufw', 'user.rules'), 'utf8'), /--dport 22 .*ufw-user-limit/);
      assert.notEqual(l.rulesets(), kernelBefore);

      const after = fwStatuses(l);
      for (const id of [
        'fw.enabled',
        'fw.default-deny-incoming',
        'fw.default-allow-outgoing',
        'fw.allowed-ports-only',
        'fw.ssh-rate-limit',
      ])
        assert.equal(status(after[id]), 'pass', `${id}: ${after[id]}`);

      const rb = l.rampart(['rollback', runId], SESSION);
      assert.equal(rb.code, 0, rb.stdout + rb.stderr);
      assert.match(rb.stdout, /undid 6 command\(s\)/);
      assert.deepEqual(picture(l.etc), filesBefore, 'ufw files byte-identical, modes and owners too');
      assert.equal(l.rulesets(), kernelBefore, 'iptables-save and ip6tables-save as before the fix');
      assert.equal(status(fwStatuses(l)['fw.enabled']), 'fail');
    },
  );

async function startSshd(l: Lab, port: number): Promise<ChildProcess> {
  const key = join(l.dir, 'hostkey');
  if (!existsSync(key)) sh(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', key]);
  const script = `mount -t tmpfs -o mode=755 rampart-sshd /run && mkdir -m 755 /run/sshd && exec /usr/sbin/sshd -D -e -f /dev/null -o Port=${port} -o HostKey=${key} -o PidFile=none`;
  const child = spawn('ip', ['netns', 'exec', l.ns, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', script], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  for (let i = 0; i < 100; i++) {
    if (l.inNs(['ss', '-Htlnp']).includes(`:${port} `) && log.includes('Server listening')) return child;
    if (child.exitCode !== null) throw new Error(`sshd exited: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sshd did not start: ${log}`);
}

test(
  'lockout proof: the candidate ufw ruleset drops the port a real sshd listens on (2222) — refused, nothing changes; on 22 it is allowed',
  { timeout: 600_000 },
  async (t) => {
    if (!guard(t) || !requireCommands(t, 'sshd', 'ssh-keygen')) return;
    const l = lab(t);
    const sshd = await startSshd(l, 2222);
    t.after(() => void sshd.kill());
    const filesBefore = picture(l.etc);
    const kernelBefore = l.rulesets();
    const r = l.rampart(['fix', '--apply', '--allow-disruptive', '--only', 'fw', ...NOW], {
      SSH_CONNECTION: '192.0.2.10 50000 192.0.2.1 2222',
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /REFUSED \[firewall-port\] the candidate firewall \(the plan's ufw commands run in a throwaway network namespace\) drops new connections to sshd's port 2222\/tcp from 192\.0\.2\.10/,
    );
    assert.doesNotMatch(r.stdout, /port 22\/tcp/, 'port 22 is allowed by the candidate (ufw limit 22/tcp)');
    assert.match(r.stderr, /not applied: lockout proof/);
    assert.deepEqual(picture(l.etc), filesBefore);
    assert.equal(l.rulesets(), kernelBefore);
    assert.equal(existsSync(join(l.state, 'runs')), false, 'no run was started');
    sshd.kill();
    await new Promise((res) => sshd.once('exit', res));

    // The same plan where sshd listens on 22: allowed by the candidate, applied.
    const sshd22 = await startSshd(l, 22);
    t.after(() => void sshd22.kill());
    const ok = l.rampart(['fix', '--allow-disruptive', '--only', 'fw', '--format', 'json', ...NOW], SESSION);
    assert.equal(ok.code, 0, ok.stderr);
    const plan = JSON.parse(ok.stdout) as { lockout: { code: string }[]; refused: string | null };
    assert.deepEqual(plan.lockout, []);
    assert.equal(plan.refused, null);
  },
);
