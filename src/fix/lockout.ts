// The lockout proof (issue 12): before anything is applied, live or offline, the candidate state is
// checked for the ways a hardening change locks its operator out. Each finding names what would
// happen and why; `refuse` findings stop `--apply`.
//
//   ssh-no-key        password (and keyboard-interactive) logins would end while no admin account
//                     sshd still lets in has a usable authorized key (the file exists, owner and modes
//                     pass StrictModes, a key type sshd 9.2 accepts, PubkeyAuthentication yes)
//   ssh-excluded      AllowUsers/AllowGroups/DenyUsers of the candidate exclude the operator
//                     (SUDO_USER, else the user of SSH_CONNECTION)
//   ssh-empty-group   AllowGroups names a group that does not exist or has no member
//   firewall-port     the candidate firewall (ufw rules files and commands, nftables.conf) denies
//                     incoming by default without allowing sshd's port from the client's address
//   fail2ban-ignoreip a Fail2Ban change whose ignoreip does not cover the current client
//   pam-session       a PAM change while no second root session is open (live hosts)
import { NO_CONNECTION, effectiveSshd, listenPorts, type SshdModel } from '../collect/parse/sshd-model.js';
import { OPENSSH_9_2_DEFAULTS } from '../collect/parse/sshd-defaults.js';
import type { Target } from '../target/types.js';
import type { LockoutFinding } from './planned.js';
import { loadModel } from './writers/sshd.js';
import { genericPeer, reach } from '../evaluate/packet-sim.js';
import { describeSource } from '../facts/evidence.js';
import type { Candidate } from './fw-simulate.js';

export interface LockoutInput {
  target: Target;
  live: boolean;
  env: Record<string, string | undefined>;
  /** Candidate contents of the files the plan changes (target path → bytes). */
  changed: ReadonlyMap<string, Uint8Array>;
  /** Commands the plan runs (recipe command steps), as argv. */
  commands: readonly (readonly string[])[];
  /** How many root login sessions are open besides this one (live hosts); default: counted from /proc. */
  otherRootSessions?: () => Promise<number>;
  /** Live hosts: the candidate firewall after the plan's ufw commands, made by the real tools (src/fix/fw-simulate.ts). Without it: the file model. */
  simulateFirewall?: (commands: readonly (readonly string[])[]) => Promise<Candidate>;
  /** Live hosts: the TCP ports sshd listens on now (null: cannot be told). */
  listeningPorts?: () => Promise<number[] | null>;
}

const dec = new TextDecoder();
/** Key types OpenSSH 9.2 accepts for user authentication by default (ssh-rsa: with rsa-sha2 signatures; DSA is off). */
const KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-ed25519-cert-v01@openssh.com',
  'ssh-rsa-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
]);

interface Account {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

function parsePasswd(text: string): Account[] {
  const out: Account[] = [];
  for (const l of text.split('\n')) {
    const f = l.split(':');
    if (f.length < 7 || !/^\d+$/.test(f[2]!) || !/^\d+$/.test(f[3]!)) continue;
    out.push({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]!, shell: f[6]! });
  }
  return out;
}

function parseGroups(text: string): { name: string; gid: number; members: string[] }[] {
  return text
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 4 && /^\d+$/.test(f[2]!))
    .map((f) => ({ name: f[0]!, gid: Number(f[2]), members: f[3]!.split(',').filter(Boolean) }));
}

function globMatch(pattern: string, s: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(s);
}

/** sshd's user lists (match_pattern_list on the user part; a user@host entry judged on its user part). */
function inList(list: string | undefined, name: string, groups: string[] | null): boolean {
  if (!list) return false;
  return list.split(/\s+/).some((p) => {
    const [pat] = p.split('@');
    const neg = pat!.startsWith('!');
    const bare = neg ? pat!.slice(1) : pat!;
    return groups === null ? globMatch(bare, name) : groups.some((g) => globMatch(bare, g));
  });
}

function operator(env: Record<string, string | undefined>): string | null {
  if (env.SUDO_USER) return env.SUDO_USER;
  if (env.SSH_CONNECTION) return env.USER ?? env.LOGNAME ?? null;
  return null;
}

function clientAddress(env: Record<string, string | undefined>): string | null {
  const f = env.SSH_CONNECTION?.trim().split(/\s+/);
  return f && f.length >= 4 ? f[0]! : null;
}

function ipv4(a: string): number | null {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(a);
  if (!m) return null;
  const n = m.slice(1).map(Number);
  return n.some((x) => x > 255) ? null : ((n[0]! << 24) | (n[1]! << 16) | (n[2]! << 8) | n[3]!) >>> 0;
}

/** Whether `spec` (an address, CIDR, or `any`) covers `addr` (IPv4; IPv6 only by equality). */
export function covers(spec: string, addr: string): boolean {
  if (spec === 'any' || spec === '0.0.0.0/0' || spec === '::/0') return true;
  const [net, bitsText] = spec.split('/');
  const a = ipv4(addr);
  const n = ipv4(net!);
  if (a === null || n === null) return spec === addr;
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  if (!(bits >= 0 && bits <= 32)) return false;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (a & mask) === (n & mask);
}

async function text(t: Target, changed: ReadonlyMap<string, Uint8Array>, path: string): Promise<string | null> {
  const c = changed.get(path);
  if (c) return dec.decode(c);
  const r = await t.readText(path);
  return r.ok ? r.text : null;
}

/** Why the account's keys are not usable, or null when one is (sshd's checks, StrictModes included). */
async function keyProblem(
  t: Target,
  changed: ReadonlyMap<string, Uint8Array>,
  eff: Record<string, { value: string }>,
  a: Account,
): Promise<string | null> {
  if (eff.pubkeyauthentication?.value !== 'yes') return 'PubkeyAuthentication is not yes';
  const strict = eff.strictmodes?.value !== 'no';
  const files = (eff.authorizedkeysfile?.value ?? '.ssh/authorized_keys .ssh/authorized_keys2')
    .split(/\s+/)
    .filter((f) => f && f !== 'none');
  const why: string[] = [];
  for (const f of files) {
    const expanded = f.replace(/%%/g, '\0').replace(/%h/g, a.home).replace(/%u/g, a.name).replace(/%U/g, String(a.uid)).replace(/\0/g, '%');
    const path = expanded.startsWith('/') ? expanded : `${a.home.replace(/\/$/, '')}/${expanded}`;
    const st = await t.stat(path);
    if (!st.ok) {
      why.push(`${path}: ${st.error === 'missing' ? 'does not exist' : st.message}`);
      continue;
    }
    if (st.type !== 'file') {
      why.push(`${path}: not a regular file`);
      continue;
    }
    if (strict) {
      const bad: string[] = [];
      if (st.uid !== a.uid && st.uid !== 0) bad.push(`${path} is owned by uid ${st.uid}`);
      if (st.mode & 0o022) bad.push(`${path} is group/world writable (${(st.mode & 0o777).toString(8)})`);
      // Every directory from the file up to the home (and above, to /) must be the user's or root's and not writable by others.
      let dir = path.slice(0, path.lastIndexOf('/')) || '/';
      for (let i = 0; i < 32; i++) {
        const d = await t.stat(dir);
        if (d.ok && ((d.uid !== a.uid && d.uid !== 0) || (d.mode & 0o022 && !(d.mode & 0o1000 && dir === '/tmp'))))
          bad.push(`${dir} is owned by uid ${d.uid} mode ${(d.mode & 0o7777).toString(8)}`);
        if (dir === '/' || dir === a.home) break;
        dir = dir.slice(0, dir.lastIndexOf('/')) || '/';
      }
      if (bad.length) {
        why.push(`StrictModes refuses it: ${bad.join('; ')}`);
        continue;
      }
    }
    const body = await text(t, changed, path);
    if (body === null) {
      why.push(`${path}: cannot be read`);
      continue;
    }
    const types = body
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.match(/(?:^|\s)((?:ssh|ecdsa|sk)-[a-z0-9@.-]+)\s+AAAA/)?.[1] ?? null);
    if (types.some((x) => x !== null && KEY_TYPES.has(x))) return null;
    why.push(
      `${path}: no key of a type sshd accepts${types.some((x) => x !== null) ? ` (only ${[...new Set(types.filter(Boolean))].join(', ')})` : ''}`,
    );
  }
  return why.length ? why.join('; ') : 'no AuthorizedKeysFile';
}

async function sshFindings(input: LockoutInput): Promise<LockoutFinding[]> {
  const out: LockoutFinding[] = [];
  const { target, changed, env } = input;
  const before = await loadModel(target, new Map());
  const after = await loadModel(target, changed);
  const eff = (m: SshdModel) => effectiveSshd(m, NO_CONNECTION, { users: [], groups: [] }, OPENSSH_9_2_DEFAULTS);
  const b = eff(before);
  const a = eff(after);
  const passwd = parsePasswd((await text(target, changed, '/etc/passwd')) ?? '');
  const groups = parseGroups((await text(target, changed, '/etc/group')) ?? '');
  const groupsOf = (u: Account) => groups.filter((g) => g.gid === u.gid || g.members.includes(u.name)).map((g) => g.name);
  const allowed = (u: Account): string | null => {
    const gs = groupsOf(u);
    if (inList(a.denyusers?.value, u.name, null)) return 'DenyUsers names it';
    if (a.allowusers?.value && !inList(a.allowusers.value, u.name, null)) return 'not in AllowUsers';
    if (inList(a.denygroups?.value, u.name, gs)) return 'DenyGroups names one of its groups';
    if (a.allowgroups?.value && !inList(a.allowgroups.value, u.name, gs)) return 'none of its groups is in AllowGroups';
    if (u.uid === 0 && a.permitrootlogin?.value === 'no') return 'PermitRootLogin no';
    return null;
  };
  const passwordsBefore = b.passwordauthentication?.value !== 'no' || b.kbdinteractiveauthentication?.value !== 'no';
  const passwordsAfter = a.passwordauthentication?.value !== 'no' || a.kbdinteractiveauthentication?.value !== 'no';
  const rootBefore = b.permitrootlogin?.value !== 'no';
  const rootAfter = a.permitrootlogin?.value !== 'no';
  if ((passwordsBefore && !passwordsAfter) || (rootBefore && !rootAfter) || !passwordsAfter) {
    const adminGroups = new Set(['sudo', 'wheel', 'admin']);
    const op = operator(env);
    const admins = passwd.filter((u) => u.uid === 0 || u.name === op || groupsOf(u).some((g) => adminGroups.has(g)));
    const reasons: string[] = [];
    let usable = false;
    for (const u of admins) {
      const excluded = allowed(u);
      if (excluded) {
        reasons.push(`${u.name}: ${excluded}`);
        continue;
      }
      const kp =
        a.authorizedkeyscommand?.value && a.authorizedkeyscommand.value !== 'none' ? null : await keyProblem(target, changed, a, u);
      if (kp === null) {
        usable = true;
        break;
      }
      reasons.push(`${u.name}: ${kp}`);
    }
    if (!usable && ((passwordsBefore && !passwordsAfter) || (rootBefore && !rootAfter)))
      out.push({
        level: 'refuse',
        code: 'ssh-no-key',
        requirement: passwordsBefore && !passwordsAfter ? 'ssh.password-auth-disabled' : 'ssh.root-login-disabled',
        message: `after this change no admin account could log in over SSH: ${passwordsBefore && !passwordsAfter ? 'password logins end' : 'root logins end'} and no admin sshd still admits has a usable authorized key (${reasons.join('; ') || 'no admin account (root, sudo/wheel/admin members, the operator) found'})`,
      });
  }
  const op = operator(env);
  const opAccount = op ? passwd.find((u) => u.name === op) : undefined;
  if (opAccount) {
    const excluded = allowed(opAccount);
    if (excluded && allowedBefore(b, opAccount, groupsOf(opAccount)))
      out.push({
        level: 'refuse',
        code: 'ssh-excluded',
        message: `you (${op}) could no longer log in over SSH: ${excluded} in the candidate configuration`,
      });
  }
  for (const g of (a.allowgroups?.value ?? '').split(/\s+/).filter(Boolean)) {
    if (/[*?!]/.test(g)) continue;
    const grp = groups.find((x) => x.name === g);
    const members = grp ? passwd.filter((u) => u.gid === grp.gid || grp.members.includes(u.name)) : [];
    if (!grp || members.length === 0)
      out.push({
        level: 'refuse',
        code: 'ssh-empty-group',
        message: `AllowGroups names ${g}, ${grp ? 'a group with no member' : 'a group that does not exist'}: nobody in it can log in`,
      });
  }
  return out;
}

function allowedBefore(b: Record<string, { value: string }>, u: Account, gs: string[]): boolean {
  if (inList(b.denyusers?.value, u.name, null)) return false;
  if (b.allowusers?.value && !inList(b.allowusers.value, u.name, null)) return false;
  if (b.allowgroups?.value && !inList(b.allowgroups.value, u.name, gs)) return false;
  return true;
}

/** The candidate ufw/nftables state: whether incoming is denied by default and the port allowed from the client. */
async function firewallFindings(input: LockoutInput, ports: number[]): Promise<LockoutFinding[]> {
  const client = clientAddress(input.env);
  const out: LockoutFinding[] = [];
  const ufwCmds = input.commands.filter((c) => c[0] === 'ufw' || c[0]?.endsWith('/ufw'));
  const ufwFiles = [...input.changed.keys()].some((p) => p.startsWith('/etc/ufw/') || p === '/etc/default/ufw');
  if (ufwCmds.length && input.simulateFirewall) out.push(...(await simulatedFindings(input.simulateFirewall, ufwCmds, ports, client)));
  else if (ufwCmds.length || ufwFiles) {
    const conf = (await text(input.target, input.changed, '/etc/ufw/ufw.conf')) ?? '';
    const dflt = (await text(input.target, input.changed, '/etc/default/ufw')) ?? '';
    let enabled = /^\s*ENABLED\s*=\s*yes/m.test(conf);
    let deny = !/^\s*DEFAULT_INPUT_POLICY\s*=\s*"?ACCEPT/m.test(dflt);
    const rules =
      ((await text(input.target, input.changed, '/etc/ufw/user.rules')) ?? '') +
      ((await text(input.target, input.changed, '/etc/ufw/user6.rules')) ?? '');
    const allows: { port: number | null; from: string }[] = [];
    for (const m of rules.matchAll(/^-A ufw6?-user-input (.*)$/gm)) {
      const r = m[1]!;
      if (!/-j ufw6?-user-limit-accept|-j ACCEPT|-j ufw6?-user-limit/.test(r) || (/-j ufw6?-user-limit$/.test(r) && false)) continue;
      const port = /--dport (\d+)/.exec(r)?.[1];
      const src = /-s (\S+)/.exec(r)?.[1] ?? 'any';
      allows.push({ port: port ? Number(port) : null, from: src });
    }
    for (const c of ufwCmds) {
      const args = c.slice(1).filter((x) => x !== '--force');
      if (args[0] === 'enable') enabled = true;
      else if (args[0] === 'disable') enabled = false;
      else if (args[0] === 'default')
        deny =
          args[1] === 'deny' || args[1] === 'reject'
            ? (args[2] ?? 'incoming') === 'incoming' || deny
            : args[2] === 'incoming'
              ? false
              : deny;
      else if (args[0] === 'allow' || args[0] === 'limit') {
        const from = args.includes('from') ? args[args.indexOf('from') + 1]! : 'any';
        const portArg = args.includes('port') ? args[args.indexOf('port') + 1]! : (args[1] ?? '');
        const port = /^(\d+)(?:\/tcp)?$/.exec(portArg)?.[1] ?? (portArg === 'ssh' || portArg === 'OpenSSH' ? '22' : null);
        allows.push({ port: port ? Number(port) : null, from });
      }
    }
    if (enabled && deny)
      for (const p of ports) {
        const ok = allows.some(
          (x) =>
            (x.port === null || x.port === p) && (client === null ? x.from === 'any' || x.from === '0.0.0.0/0' : covers(x.from, client)),
        );
        if (!ok)
          out.push({
            level: 'refuse',
            code: 'firewall-port',
            message: `ufw would deny incoming by default without allowing sshd's port ${p}/tcp from ${client ?? 'anywhere'}: SSH would be cut`,
          });
      }
  }
  const nft = input.changed.get('/etc/nftables.conf');
  if (nft) {
    const t = dec.decode(nft);
    const input_ = /chain\s+input\s*\{([\s\S]*?)\n\s*\}/.exec(t)?.[1] ?? '';
    if (/policy\s+drop/.test(input_))
      for (const p of ports) {
        const ok = input_.split('\n').some((l) => {
          if (!/\baccept\b/.test(l)) return false;
          const dport = /tcp\s+dport\s+(\{[^}]*\}|\S+)/.exec(l)?.[1];
          if (
            !dport ||
            !dport
              .replace(/[{}]/g, ' ')
              .split(/[\s,]+/)
              .some((x) => x === String(p) || x === 'ssh')
          )
            return false;
          const saddr = /ip\s+saddr\s+(\S+)/.exec(l)?.[1];
          return !saddr || client === null || covers(saddr, client);
        });
        if (!ok)
          out.push({
            level: 'refuse',
            code: 'firewall-port',
            message: `/etc/nftables.conf: the input chain drops by default and no rule accepts tcp port ${p} from ${client ?? 'anywhere'}: SSH would be cut`,
          });
      }
  }
  return out;
}

/** The plan's ufw commands run for real in a throwaway namespace: sshd's ports must stay open to the client. */
async function simulatedFindings(
  simulate: NonNullable<LockoutInput['simulateFirewall']>,
  cmds: readonly (readonly string[])[],
  ports: number[],
  client: string | null,
): Promise<LockoutFinding[]> {
  const cand = await simulate(cmds);
  if (!cand.ok)
    return [
      {
        level: 'refuse',
        code: 'firewall-port',
        message: `the candidate firewall could not be simulated, so nothing shows that SSH stays reachable: ${cand.reason}`,
      },
    ];
  const peerAddr = client?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1') ?? null;
  const family = peerAddr?.includes(':') ? 'ipv6' : 'ipv4';
  const out: LockoutFinding[] = [];
  for (const port of ports) {
    const peer = peerAddr ?? genericPeer(cand.rulesets, family, 'in');
    const r = reach(cand.rulesets, { dir: 'in', family, proto: 'tcp', port, peer, world: 'under' });
    if (r.state === 'open') continue;
    const by = r.by[0] ? ` (${describeSource(r.by[0])}${r.by[0].excerpt ? `: ${r.by[0].excerpt}` : ''})` : '';
    out.push({
      level: 'refuse',
      code: 'firewall-port',
      message: `the candidate firewall (the plan's ufw commands run in a throwaway network namespace) ${r.state === 'closed' ? 'drops' : 'may drop (a rule Rampart cannot judge)'} new connections to sshd's port ${port}/tcp from ${peerAddr ?? `anywhere (${peer})`}${by}: SSH would be cut`,
    });
  }
  return out;
}

async function fail2banFindings(input: LockoutInput): Promise<LockoutFinding[]> {
  const client = clientAddress(input.env);
  const touched = [...input.changed.keys()].filter((p) => p.startsWith('/etc/fail2ban/'));
  if (!touched.length || client === null) return [];
  // ignoreip of [DEFAULT] or [sshd], the last file read winning (jail.conf, jail.local, jail.d/* in order).
  const order = [
    '/etc/fail2ban/jail.conf',
    '/etc/fail2ban/jail.local',
    ...(await input.target.glob('/etc/fail2ban/jail.d/*')),
    ...touched.filter((p) => p.startsWith('/etc/fail2ban/jail.d/')),
  ];
  let ignore: string | null = null;
  for (const f of [...new Set(order)].sort((x, y) => rank(x) - rank(y) || x.localeCompare(y))) {
    const t = await text(input.target, input.changed, f);
    if (t === null) continue;
    let section = '';
    for (const l of t.split('\n')) {
      const s = /^\s*\[([^\]]+)\]/.exec(l);
      if (s) section = s[1]!.trim();
      const m = /^\s*ignoreip\s*=\s*(.*)$/.exec(l);
      if (m && (section === 'DEFAULT' || section === 'sshd')) ignore = m[1]!;
    }
  }
  const specs = (ignore ?? '').split(/[\s,]+/).filter(Boolean);
  if (specs.some((s) => covers(s, client) || (s === '127.0.0.1/8' && client.startsWith('127.')))) return [];
  return [
    {
      level: 'refuse',
      code: 'fail2ban-ignoreip',
      message: `Fail2Ban's ignoreip (${ignore ?? 'unset'}) does not cover your address ${client}: a few failed logins would ban you`,
    },
  ];
}

function rank(p: string): number {
  return p.endsWith('jail.conf') ? 0 : p.includes('/jail.d/') ? (p.endsWith('.local') ? 3 : 1) : 2;
}

async function countRootSessions(): Promise<number> {
  const { readdirSync, readFileSync } = await import('node:fs');
  let n = 0;
  const mine = new Set<number>();
  for (let pid = process.pid, i = 0; pid > 1 && i < 64; i++) {
    mine.add(pid);
    try {
      pid = Number(/^\d+ \(.*\) \S (\d+)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? 0);
    } catch {
      break;
    }
  }
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d) || mine.has(Number(d))) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (/^sshd(-session)?: root@/.test(cmd)) n++;
    } catch {
      /* gone */
    }
  }
  return n;
}

export async function lockoutProof(input: LockoutInput): Promise<LockoutFinding[]> {
  const out: LockoutFinding[] = [];
  const paths = [...input.changed.keys()];
  const sshTouched = paths.some((p) => p.startsWith('/etc/ssh/'));
  if (sshTouched) out.push(...(await sshFindings(input)));
  const after = await loadModel(input.target, input.changed);
  const configured = listenPorts(effectiveSshd(after, NO_CONNECTION, { users: [], groups: [] }, OPENSSH_9_2_DEFAULTS));
  // The ports sshd really listens on (live), and the one this SSH session came in on, besides the configured ones.
  const live = input.live && input.listeningPorts ? ((await input.listeningPorts()) ?? []) : [];
  const sessionPort = input.live ? Number(input.env.SSH_CONNECTION?.trim().split(/\s+/)[3]) : NaN;
  const ports = [...new Set([...configured, ...live, ...(Number.isInteger(sessionPort) && sessionPort > 0 ? [sessionPort] : [])])].sort(
    (a, b) => a - b,
  );
  out.push(...(await firewallFindings(input, ports)));
  out.push(...(await fail2banFindings(input)));
  if (paths.some((p) => p.startsWith('/etc/pam.d/'))) {
    if (!input.live)
      out.push({ level: 'warn', code: 'pam-session', message: 'a PAM change on an offline image: test a login before relying on it' });
    else {
      const n = await (input.otherRootSessions ?? countRootSessions)();
      if (n < 1)
        out.push({
          level: 'refuse',
          code: 'pam-session',
          message: 'a PAM change while no second root session is open: open one (and keep it) before applying, to undo a PAM mistake',
        });
    }
  }
  return out;
}
