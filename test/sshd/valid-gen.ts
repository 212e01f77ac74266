// Seeded sshd_config files for the ssh.config-valid comparison: Debian 12's sshd_config mutated by
// the classes sshd 9.2 `sshd -t` decides on (bytes, algorithm lists, argument counts, numbers,
// AuthenticationMethods, Match Address masks, AllowUsers patterns, aliases, quoted keywords, deprecated
// keywords, Include globs, keywords under Match), valid and invalid. The truth is the real
// `sshd -t -f FILE -h KEY` exit code, run in a private mount namespace where /run/sshd is a tmpfs
// (the host's /run is never touched); Rampart's answer is the file model's validity.
// Shared by test/sshd/valid-agree.test.ts and bench/agree-sshd-valid.ts.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { sshdFileAccess } from '../../src/collect/sshd.js';
import { loadSshdModel } from '../../src/collect/parse/sshd-model.js';
import { OPENSSH_9_2_DEFAULTS } from '../../src/collect/parse/sshd-defaults.js';
import { SSHD_KEYWORDS_9_2 } from '../../src/collect/parse/sshd-keywords.js';
import { rng } from '../rng.js';

export const DEBIAN_SSHD_CONFIG = join(import.meta.dirname, '..', 'fixtures', 'sshd', 'debian12-default', 'etc', 'ssh', 'sshd_config');
export const SSHD = existsSync('/usr/sbin/sshd') ? '/usr/sbin/sshd' : 'sshd';
/** Stands for the case's own directory in generated text (Include paths). */
const DIR = '@DIR@';

export interface SshdValidCase {
  seed: number;
  /** The mutation classes applied, e.g. "cipher-unknown+nul-comment". */
  label: string;
  /** Files relative to the case directory ('sshd_config' is the main file); a Buffer keeps raw bytes. */
  files: Record<string, string>;
  /** Directories to create (an Include glob that matches only a directory). */
  dirs: string[];
}

const CIPHERS = OPENSSH_9_2_DEFAULTS.supported.ciphers;
const MACS = OPENSSH_9_2_DEFAULTS.supported.macs;
const KEX = OPENSSH_9_2_DEFAULTS.supported.kexalgorithms;

interface Mutation {
  /** Lines to insert (global part) or to append after everything (a Match block). */
  lines?: string[];
  match?: string[];
  /** Rewrites the whole text (bytes classes). */
  text?: (s: string) => string;
  files?: Record<string, string>;
  dirs?: string[];
}

type Gen = (r: () => number, pick: <T>(xs: readonly T[]) => T) => Mutation;

/** Every keyword sshd 9.2 knows (not deprecated), with values typical and not: which does sshd -t refuse? */
const FUZZ_KEYWORDS = Object.entries(SSHD_KEYWORDS_9_2)
  .filter(([, k]) => k.status === 'known')
  .map(([name]) => name);
const FUZZ_VALUES = [
  'yes',
  'no',
  'YES',
  'maybe',
  '0',
  '1',
  '-1',
  '03',
  '300',
  '10:30:100',
  '10:30',
  '10:30:5',
  'x',
  'none',
  'any',
  'any:22',
  'localhost:22',
  'localhost',
  '*:*',
  '[::1]:22',
  'lowdelay',
  'af21 cs1',
  'lowdelay throughput extra',
  '0177',
  '0999',
  '32:128',
  '33',
  '1h',
  '1G',
  '1G 1h',
  'default none',
  'A=B',
  'A',
  '%h/.ssh/keys',
  '/etc/x',
  'info',
  'VERBOSE',
  'debug4',
  'sha256',
  'md5',
  'inet',
  'local0',
  'all',
  'local',
  'remote',
  'clientspecified',
  'point-to-point',
  'delayed',
  'forced-commands-only',
  'sftp /usr/lib/openssh/sftp-server',
  'internal-sftp',
  '"a b"',
  'a b c',
  '10.0.0.1',
  '10.0.0.1:2222',
  '10.0.0.1 rdomain x',
  'session:*=5m',
  '*=1h',
  'kex:1',
  'ssh-ed25519',
  '+ssh-rsa',
  'nobody',
  'root',
  'x%',
  '%u',
  'internal',
  '1024',
  '512',
  '65536',
  '2:3',
  '1:2:3:4',
  '5m 10',
  'skip',
  'touch-required',
  'verify-required',
  'none none',
  '/bin/true %u',
  'error',
  'INFO extra',
  'kex_exchange_identification:*',
  '.ssh/authorized_keys .ssh/authorized_keys2',
  '10',
  '1:2',
  'a=',
  '=b',
  '0x10',
  '010',
  '100:100:100',
  '0:0',
  '-5',
  '+5',
  '1.5G',
  '16',
  '15',
  'internal-sftp -u 0077',
  'sftp',
  '*',
  '*:22',
  'localhost:*',
  '[::1]',
  '[::1]:x',
  'a/22',
  'ssh',
  'gss-group14-sha256-',
  'gss-x',
  'cs1 af21',
  'ef 256',
  '10.1',
  '32',
  '0999',
];
const fuzzName = (k: string) => k.replace(/^./, (c) => c.toUpperCase());

const ONE_VALUE = [
  'PermitRootLogin no',
  'X11Forwarding no',
  'MaxAuthTries 3',
  'LoginGraceTime 30',
  'PasswordAuthentication no',
  'UseDNS no',
  'ClientAliveInterval 300',
  'LogLevel VERBOSE',
  'Compression no',
  'PermitTunnel no',
];

const GENS: Record<string, Gen> = {
  'bom-start': () => ({ text: (s) => `\uFEFF${s}` }),
  'bom-line': (_r, pick) => ({ lines: [`\uFEFF${pick(ONE_VALUE)}`] }),
  'nbsp-separator': (_r, pick) => ({ lines: [pick(ONE_VALUE).replace(' ', '\u00A0')] }),
  'nbsp-value-end': (_r, pick) => ({ lines: [`${pick(ONE_VALUE)}\u00A0`] }),
  'nbsp-comment': () => ({ lines: ['#\u00A0a comment with a NO-BREAK SPACE'] }),
  'nul-comment-joins': (_r, pick) => ({ lines: ['# comment\u0000', pick(ONE_VALUE)] }),
  'nul-after-value': (_r, pick) => ({ lines: [`${pick(ONE_VALUE)}\u0000trailing`, pick(ONE_VALUE)] }),
  'nul-last-line': (_r, pick) => ({ text: (s) => `${s}${pick(ONE_VALUE)}\u0000` }),
  crlf: () => ({ text: (s) => s.replace(/\n/g, '\r\n') }),
  equals: (_r, pick) => ({
    lines: [pick(['PermitRootLogin=no', 'PermitRootLogin = no', 'PermitRootLogin =no', 'PermitRootLogin==no', 'X11Forwarding\t=\tno'])],
  }),
  cipher: (r, pick) => {
    const kw = pick(['Ciphers', 'MACs', 'KexAlgorithms'] as const);
    const all = kw === 'Ciphers' ? CIPHERS : kw === 'MACs' ? MACS : KEX;
    const a = pick(all);
    const b = pick(all);
    const v = pick([
      `${a},${b}`,
      `+${a}`,
      `^${a}`,
      `-${a}`,
      `-bogus-name`,
      `-${a.slice(0, 4)}*`,
      'bogus-name',
      `+bogus-name`,
      `^${a},bogus`,
      a.toUpperCase(),
      `${a.slice(0, 4)}*`,
      `+${a.slice(0, 4)}*`,
      `${a},`,
      `,${a}`,
      `${a},,${b}`,
      `${a} ${b}`,
      `"${a}"`,
      `${a},${a}`,
    ]);
    return { lines: [`${r() < 0.2 ? kw.toLowerCase() : kw} ${v}`] };
  },
  'key-algorithms': (_r, pick) => {
    const kw = pick(['HostKeyAlgorithms', 'PubkeyAcceptedAlgorithms', 'CASignatureAlgorithms', 'PubkeyAcceptedKeyTypes']);
    return {
      lines: [
        `${kw} ${pick(['ssh-ed25519', '+ssh-rsa', 'ssh-ed25519*', 'rsa-sha2-*', 'ed25519', 'bogus-key', '-ssh-rsa', '^ssh-ed25519,rsa-sha2-512', 'SSH-ED25519'])}`,
      ],
    };
  },
  'extra-args': (_r, pick) => ({ lines: [`${pick(ONE_VALUE)} ${pick(['extra', 'no', '#comment', '"#quoted"', "''"])}`] }),
  'int-value': (_r, pick) => ({
    lines: [
      `${pick(['MaxAuthTries', 'MaxSessions', 'ClientAliveCountMax', 'X11DisplayOffset'])} ${pick(['03', '0', '-1', '+4', 'x', '3x', '99999999999', '2147483647', '2147483648'])}`,
    ],
  }),
  'time-value': (_r, pick) => ({
    lines: [`${pick(['LoginGraceTime', 'ClientAliveInterval'])} ${pick(['30', '5m', '1h30m', '10x', '-5', '0', '1w', 'm5'])}`],
  }),
  'flag-value': (_r, pick) => ({
    lines: [
      `${pick(['PasswordAuthentication', 'UseDNS', 'TCPKeepAlive', 'PermitEmptyPasswords'])} ${pick(['yes', 'YES', 'No', 'true', '1', 'on'])}`,
    ],
  }),
  'enum-value': (_r, pick) => ({
    lines: [
      pick([
        'PermitRootLogin Prohibit-Password',
        'PermitRootLogin without-password',
        'PermitRootLogin maybe',
        'Compression delayed',
        'Compression DELAYED',
        'GatewayPorts clientspecified',
        'AllowTcpForwarding local',
        'LogLevel debug4',
        'LogLevel QUIET',
        'AddressFamily inet7',
        'SyslogFacility AUTHPRIV',
        'PermitTunnel point-to-point',
        'IgnoreRhosts shosts-only',
      ]),
    ],
  }),
  port: (_r, pick) => ({ lines: [`Port ${pick(['22', '2222', '0', '65535', '65536', 'ssh', '22x'])}`] }),
  authmethods: (_r, pick) => ({
    lines: [
      `AuthenticationMethods ${pick(['publickey', 'publickey,password', 'publickey password', 'any', 'any publickey', 'publickey any', 'publickey,', ',publickey', 'PublicKey', 'publickey,,password', 'keyboard-interactive:pam', 'password', 'hostbased', 'gssapi-with-mic', 'none', 'publickey,keyboard-interactive', 'bogus', 'publickey keyboard-interactive'])}`,
    ],
  }),
  'authmethods-enabled': (_r, pick) => ({
    lines: [
      pick(['PasswordAuthentication no', 'KbdInteractiveAuthentication yes', 'HostbasedAuthentication yes', 'PubkeyAuthentication no']),
      `AuthenticationMethods ${pick(['password', 'keyboard-interactive', 'hostbased', 'publickey', 'publickey,password publickey'])}`,
    ],
  }),
  allowusers: (_r, pick) => ({
    lines: [
      `${pick(['AllowUsers', 'DenyUsers'])} ${pick(['alice', 'alice@10.0.0.0/8', 'alice@10.0.0.1/8', 'alice@10.0.0.1/33', 'alice@', 'alice@a@b', 'alice@10.0.0.*', '*@192.0.2.0/24,!192.0.2.1', 'alice@::1/129', 'alice@2001:db8::/32', 'alice@2001:db8::1/32', 'bob alice@10.0.0.1/40'])}`,
    ],
  }),
  allowgroups: (_r, pick) => ({ lines: [`AllowGroups ${pick(['ssh-users', 'g@10.0.0.1/33', 'sudo ssh-users'])}`] }),
  keepalive: (_r, pick) => ({ lines: [`${pick(['KeepAlive', 'keepalive', 'TCPKeepAlive'])} ${pick(['yes', 'no', 'maybe'])}`] }),
  'quoted-keyword': (_r, pick) => ({
    lines: [pick(['"PasswordAuthentication" no', "'X11Forwarding' no", '"FooBar" yes', '"PermitRootLogin no"', '"UseDNS"=no'])],
  }),
  'value-fuzz': (_r, pick) => ({ lines: [`${fuzzName(pick(FUZZ_KEYWORDS))} ${pick(FUZZ_VALUES)}`] }),
  'value-fuzz-match': (_r, pick) => ({
    match: [
      'Match User alice',
      `\t${fuzzName(pick(FUZZ_KEYWORDS.filter((k) => SSHD_KEYWORDS_9_2[k]!.match && k !== 'match' && k !== 'include')))} ${pick(FUZZ_VALUES)}`,
    ],
  }),
  deprecated: (_r, pick) => ({
    lines: [
      pick([
        'RSAAuthentication yes',
        'UsePrivilegeSeparation sandbox',
        'Protocol 2',
        'RhostsRSAAuthentication no',
        'UseLogin no',
        'KeyRegenerationInterval 3600',
        'ServerKeyBits 1024',
        'GSSAPIUseSessionCredCache yes',
      ]),
    ],
  }),
  'unknown-keyword': (_r, pick) => ({ lines: [pick(['FooBar yes', 'PermitRootLogn no', 'PasswordAuthentification no'])] }),
  quotes: (_r, pick) => ({
    lines: [pick(['Banner "/etc/issue.net"', 'Banner "unbalanced', "Banner 'x'", 'Banner "a b"', 'ForceCommand "internal-sftp -l INFO"'])],
  }),
  'include-dir': (r) => ({
    lines: [`Include ${DIR}/inc/*`],
    dirs: ['inc/only-a-directory'],
    ...(r() < 0.5 ? { files: { 'inc/10-x.conf': 'X11Forwarding no\n' } } : {}),
  }),
  'include-mutated': (r, pick) => {
    // A drop-in (Debian's Include line) holding one mutated line: its errors count as the main file's.
    const inner = pick(
      SSHD_VALID_CLASSES.filter(
        (c) => !['include-mutated', 'include-dir', 'bom-start', 'crlf', 'nul-last-line'].includes(c) && !c.startsWith('match'),
      ),
    );
    const m = GENS[inner]!(r, pick);
    return {
      lines: [`Include ${DIR}/d/*.conf`],
      files: { 'd/50-x.conf': `${(m.lines ?? []).join('\n')}\n${(m.match ?? []).join('\n')}\n` },
    };
  },
  'include-missing': () => ({ lines: [`Include ${DIR}/nowhere/*.conf`] }),
  'hostkey-line': (_r, pick) => ({ lines: [`HostKey ${pick([`${DIR}/no-such-key`, '/etc/ssh/ssh_host_ed25519_key'])}`] }),
  'match-address': (_r, pick) => ({
    match: [
      `Match Address ${pick(['10.0.0.0/8', '10.0.0.1/8', '10.0.0.0/33', '10.0.0.*/8', '10.0.0.0/', '192.0.2.0/24,!192.0.2.1', '::1/129', '2001:db8::/32', '2001:db8::1/32', ',10.0.0.0/8', '10.0.0.0/8,', 'garbage'])}`,
      '\tPasswordAuthentication yes',
    ],
  }),
  'match-criteria': (_r, pick) => ({
    match: [
      `Match ${pick(['User alice', 'user alice', 'Group ssh-users', 'Host *.example.com', 'LocalPort 22', 'LocalPort x', 'All', 'all', 'all User x', 'User', 'Bogus x', 'User alice Address 10.0.0.0/8', 'RDomain x'])}`,
      '\tX11Forwarding no',
    ],
  }),
  'match-forbidden': (_r, pick) => ({
    match: [
      pick(['Match User alice', 'Match all', 'Match Address 10.0.0.0/8']),
      `\t${pick(['Port 2222', 'Ciphers aes128-ctr', 'UseDNS yes', 'PermitRootLogin no', 'TCPKeepAlive no'])}`,
    ],
  }),
  'match-authmethods': (_r, pick) => ({
    match: [
      'Match User alice',
      `\tAuthenticationMethods ${pick(['password', 'publickey,', 'any publickey', 'PublicKey'])}`,
      '\tPasswordAuthentication no',
    ],
  }),
};
export const SSHD_VALID_CLASSES: readonly string[] = Object.keys(GENS);

/** One case: 1 to 3 mutation classes over Debian's sshd_config. */
export function generateSshdValid(
  seed: number,
  base = readFileSync(DEBIAN_SSHD_CONFIG, 'utf8'),
  classes: readonly string[] = SSHD_VALID_CLASSES,
): SshdValidCase {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const n = 1 + Math.floor(r() * 3);
  const names = Array.from({ length: n }, () => pick(classes));
  const lines = base.split('\n');
  const match: string[] = [];
  const texts: ((s: string) => string)[] = [];
  const files: Record<string, string> = {};
  const dirs: string[] = [];
  for (const name of names) {
    const m = GENS[name]!(r, pick);
    if (m.lines) lines.splice(Math.floor(r() * lines.length), 0, ...m.lines);
    if (m.match) match.push(...m.match);
    if (m.text) texts.push(m.text);
    Object.assign(files, m.files ?? {});
    dirs.push(...(m.dirs ?? []));
  }
  let text = [...lines, ...match].join('\n');
  if (!text.endsWith('\n')) text += '\n';
  for (const t of texts) text = t(text);
  return { seed, label: names.join('+'), files: { sshd_config: text, ...files }, dirs };
}

/** Writes a case under `root` (its own directory); returns the main file's path. */
export function writeSshdCase(root: string, c: SshdValidCase): string {
  const dir = join(root, `case-${c.seed}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const d of c.dirs) mkdirSync(join(dir, d), { recursive: true });
  for (const [rel, text] of Object.entries(c.files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), Buffer.from(text.replaceAll(DIR, dir), 'utf8'), { mode: 0o644 });
  }
  return join(dir, 'sshd_config');
}

/** A host key made for the run (sshd -t needs one). */
export function makeHostKey(dir: string): string {
  const key = join(dir, 'hostkey');
  if (!existsSync(key)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
  return key;
}

/**
 * `sshd -t -f FILE [-h KEY]` for each file, in one private mount namespace whose /run is an empty
 * tmpfs holding /run/sshd (sshd -t refuses to judge without it); the host's /run is not touched.
 */
export function realSshdT(
  configs: readonly string[],
  hostKey: string | null,
  extra: readonly string[] = [],
): { code: number; output: string }[] {
  const script =
    'mount -t tmpfs -o size=1m,mode=0755 rampart-run /run && mkdir -m 0755 /run/sshd || exit 99\n' +
    'sshd="$1"; key="$2"; shift 2\n' +
    'for f; do if [ -n "$key" ]; then "$sshd" -t -f "$f" -h "$key" EXTRA </dev/null 2>&1; else "$sshd" -t -f "$f" EXTRA </dev/null 2>&1; fi; echo "@@rampart-rc=$?"; done\n';
  const r = spawnSync(
    'unshare',
    [
      '-m',
      '--propagation',
      'private',
      'sh',
      '-c',
      script.replaceAll('EXTRA', extra.map((e) => `'${e}'`).join(' ')),
      'sh',
      SSHD,
      hostKey ?? '',
      ...configs,
    ],
    {
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status === 99 || r.error) throw new Error(`cannot run sshd -t in a private namespace: ${r.error?.message ?? r.stderr}`);
  const out: { code: number; output: string }[] = [];
  let buf = '';
  for (const l of r.stdout.split('\n')) {
    const m = /^(.*)@@rampart-rc=(\d+)$/.exec(l);
    if (m) {
      out.push({ code: Number(m[2]), output: (buf + m[1]!).trim() });
      buf = '';
    } else buf += `${l}\n`;
  }
  if (out.length !== configs.length) throw new Error(`sshd -t answered ${out.length} of ${configs.length} files: ${r.stderr}`);
  return out;
}

/** Rampart's verdict on a file: the model's errors (severity error), first one as the reason. */
export async function rampartValid(config: string): Promise<{ valid: boolean; reason: string | null }> {
  const model = await loadSshdModel(config, sshdFileAccess(new FsTarget({ name: 'host' })), OPENSSH_9_2_DEFAULTS);
  const errors = model.problems.filter((p) => p.severity === 'error');
  return { valid: errors.length === 0, reason: errors[0] ? `${errors[0].line ?? '-'}: ${errors[0].message}` : null };
}

export interface SshdValidResult {
  c: SshdValidCase;
  sshd: { valid: boolean; output: string };
  rampart: { valid: boolean; reason: string | null };
}

/** Generates, writes and judges cases seed0 … seed0+n-1 with both. */
export async function compareSshdValid(
  seed0: number,
  n: number,
  classes: readonly string[] = SSHD_VALID_CLASSES,
): Promise<SshdValidResult[]> {
  const work = mkdtempSync(join(tmpdir(), 'rampart-sshd-valid-'));
  try {
    const key = makeHostKey(work);
    const base = readFileSync(DEBIAN_SSHD_CONFIG, 'utf8');
    const cases = Array.from({ length: n }, (_, i) => generateSshdValid(seed0 + i, base, classes));
    const paths = cases.map((c) => writeSshdCase(work, c));
    const truth = realSshdT(paths, key);
    const out: SshdValidResult[] = [];
    for (const [i, c] of cases.entries()) {
      const t = truth[i]!;
      out.push({ c, sshd: { valid: t.code === 0, output: t.output.replaceAll(work, 'W') }, rampart: await rampartValid(paths[i]!) });
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
