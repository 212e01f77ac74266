// The lockout proof's firewall simulation on a live host (issue 12): the candidate ruleset is made by
// the real tools, not guessed. A throwaway network namespace (`unshare --net`) gets the host's current
// iptables/ip6tables rulesets (iptables-restore of iptables-save), then the plan's ufw commands run in
// it on a private copy of /etc/ufw, /etc/default/ufw and /lib/ufw (`ufw --rootdir --datadir`); its
// iptables-save is the candidate, judged by the fw checks' packet simulation (src/evaluate/packet-sim.ts).
// Nothing of the host changes: not its files, not its kernel rulesets.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readlinkSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIptablesSave } from '../collect/parse/iptables-save.js';
import type { FwFamily, FwRuleset } from '../facts/firewall.js';
import { capture } from './restore.js';

export type Candidate = { ok: true; rulesets: FwRuleset[]; ran: string[] } | { ok: false; reason: string };

const isUfw = (argv: readonly string[]) => (argv[0]?.split('/').at(-1) ?? '') === 'ufw';

function netnsOf(pid: number | 'self'): string | null {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return null;
  }
}

/** The candidate rulesets after the plan's ufw commands, or why they cannot be simulated. */
export async function simulateUfwCandidate(commands: readonly (readonly string[])[]): Promise<Candidate> {
  const ufw = commands.filter(isUfw);
  const dataDir = ['/lib/ufw', '/usr/lib/ufw'].find((d) => existsSync(join(d, 'ufw-init')));
  if (!dataDir || !existsSync('/etc/ufw')) return { ok: false, reason: 'ufw is not installed (no /etc/ufw or ufw-init)' };
  const tmp = mkdtempSync(join(tmpdir(), 'rampart-fwsim-'));
  const holder = spawn('unshare', ['--net', '--', 'sleep', '600'], { stdio: 'ignore' });
  try {
    mkdirSync(join(tmp, 'etc', 'default'), { recursive: true });
    mkdirSync(join(tmp, 'lib'), { recursive: true });
    cpSync('/etc/ufw', join(tmp, 'etc', 'ufw'), { recursive: true });
    if (existsSync('/etc/default/ufw')) cpSync('/etc/default/ufw', join(tmp, 'etc', 'default', 'ufw'));
    cpSync(dataDir, join(tmp, 'lib', 'ufw'), { recursive: true });
    const saved: Record<FwFamily, string> = { ipv4: '', ipv6: '' };
    for (const [family, tool] of [
      ['ipv4', 'iptables-save'],
      ['ipv6', 'ip6tables-save'],
    ] as const) {
      const r = await capture([tool], 30_000);
      if (r.code !== 0) return { ok: false, reason: `${tool} failed: ${r.stderr.trim().slice(0, 300)}` };
      saved[family] = r.stdout;
      writeFileSync(join(tmp, family), r.stdout, { mode: 0o600 });
    }
    const pid = holder.pid;
    const mine = netnsOf('self');
    for (let i = 0; pid !== undefined && i < 100 && (netnsOf(pid) === null || netnsOf(pid) === mine); i++)
      await new Promise((r) => setTimeout(r, 20));
    if (pid === undefined || holder.exitCode !== null || netnsOf(pid) === mine)
      return { ok: false, reason: 'cannot create a throwaway network namespace (unshare --net): needs root' };
    const inNs = (argv: readonly string[]) => capture(['nsenter', `--net=/proc/${pid}/ns/net`, '--', ...argv], 60_000);
    const ran: string[] = [];
    const steps: string[][] = [['ip', 'link', 'set', 'lo', 'up']];
    if (saved.ipv4.trim()) steps.push(['iptables-restore', join(tmp, 'ipv4')]);
    if (saved.ipv6.trim()) steps.push(['ip6tables-restore', join(tmp, 'ipv6')]);
    for (const c of ufw) steps.push([c[0]!, `--rootdir=${tmp}`, `--datadir=${tmp}`, ...c.slice(1)]);
    for (const argv of steps) {
      const r = await inNs(argv);
      if (r.code !== 0)
        return { ok: false, reason: `${argv.join(' ')} failed in the simulation: ${(r.stderr || r.stdout).trim().slice(0, 300)}` };
      ran.push(argv.join(' '));
    }
    const rulesets: FwRuleset[] = [];
    for (const [family, tool] of [
      ['ipv4', 'iptables-save'],
      ['ipv6', 'ip6tables-save'],
    ] as const) {
      const r = await inNs([tool]);
      if (r.code !== 0) return { ok: false, reason: `${tool} in the simulation failed: ${r.stderr.trim().slice(0, 300)}` };
      const parsed = parseIptablesSave(r.stdout, { command: `${tool} (candidate)` });
      if (parsed.errors.length) return { ok: false, reason: `the candidate ${tool}: ${parsed.errors[0]!.message}` };
      for (const t of parsed.tables.filter((x) => x.name === 'filter'))
        rulesets.push({ backend: 'iptables-nft', family, table: t.name, chains: t.chains, source: { command: `${tool} (candidate)` } });
    }
    return { ok: true, rulesets, ran };
  } catch (e) {
    return { ok: false, reason: `the simulation failed: ${(e as Error).message}` };
  } finally {
    holder.kill('SIGKILL');
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The TCP ports sshd processes listen on now (`ss -Htlnp`), or null when that cannot be told. */
export async function liveSshdPorts(): Promise<number[] | null> {
  const r = await capture(['ss', '-Htlnp'], 10_000);
  if (r.code !== 0) return null;
  const ports = new Set<number>();
  for (const line of r.stdout.split('\n')) {
    if (!/users:\(\("sshd(-session)?"/.test(line)) continue;
    const local = line.trim().split(/\s+/)[3] ?? '';
    const port = Number(/:(\d+)$/.exec(local)?.[1]);
    if (Number.isInteger(port) && port > 0) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}
