import { a2port, convtime, userPatternValid } from './sshd-config.js';

/**
 * sshd_config keywords known to OpenSSH 9.2p1 (Debian 1:9.2p1-2+deb12u*), with whether a Match block
 * may hold them. Derived from servconf.c's keyword table as the Debian 12 binary answers `sshd -t`
 * (known / "Deprecated option" / "Unsupported option" / "not allowed within a Match block"), and
 * sshd_config(5). `protocol` is accepted and ignored since OpenSSH 7.4 (no SSH-1 code at all).
 */
export type SshdKeywordStatus = 'known' | 'deprecated' | 'unsupported' | 'ignored';

export interface SshdKeyword {
  status: SshdKeywordStatus;
  /** Allowed inside a Match block. */
  match: boolean;
}

/** Spelling → the keyword it sets (sshd -T prints the canonical one). */
export const SSHD_ALIASES: Readonly<Record<string, string>> = {
  challengeresponseauthentication: 'kbdinteractiveauthentication',
  keepalive: 'tcpkeepalive',
  skeyauthentication: 'kbdinteractiveauthentication',
  dsaauthentication: 'pubkeyauthentication',
  pubkeyacceptedkeytypes: 'pubkeyacceptedalgorithms',
  hostbasedacceptedkeytypes: 'hostbasedacceptedalgorithms',
  hostdsakey: 'hostkey',
  gssapicleanupcreds: 'gssapicleanupcredentials',
};

/** Keywords whose every line adds values (servconf.c appends; no first-match-wins). */
export const SSHD_ACCUMULATING: ReadonlySet<string> = new Set([
  'port',
  'listenaddress',
  'hostkey',
  'hostcertificate',
  'allowusers',
  'denyusers',
  'allowgroups',
  'denygroups',
  'acceptenv',
  'subsystem',
  'channeltimeout',
]);

const K = (status: SshdKeywordStatus, match: boolean): SshdKeyword => ({ status, match });

export const SSHD_KEYWORDS_9_2: Readonly<Record<string, SshdKeyword>> = {
  acceptenv: K('known', true),
  addressfamily: K('known', false),
  afstokenpassing: K('unsupported', false),
  allowagentforwarding: K('known', true),
  allowgroups: K('known', true),
  allowstreamlocalforwarding: K('known', true),
  allowtcpforwarding: K('known', true),
  allowusers: K('known', true),
  authenticationmethods: K('known', true),
  authorizedkeyscommand: K('known', true),
  authorizedkeyscommanduser: K('known', true),
  authorizedkeysfile: K('known', true),
  authorizedkeysfile2: K('deprecated', true),
  authorizedprincipalscommand: K('known', true),
  authorizedprincipalscommanduser: K('known', true),
  authorizedprincipalsfile: K('known', true),
  banner: K('known', true),
  casignaturealgorithms: K('known', true),
  challengeresponseauthentication: K('known', true),
  channeltimeout: K('known', true),
  checkmail: K('deprecated', false),
  chrootdirectory: K('known', true),
  ciphers: K('known', false),
  clientalivecountmax: K('known', true),
  clientaliveinterval: K('known', true),
  compression: K('known', false),
  debianbanner: K('known', false),
  denygroups: K('known', true),
  denyusers: K('known', true),
  disableforwarding: K('known', true),
  dsaauthentication: K('known', false),
  exposeauthinfo: K('known', true),
  fingerprinthash: K('known', false),
  forcecommand: K('known', true),
  gatewayports: K('known', true),
  gssapiauthentication: K('known', true),
  gssapicleanupcredentials: K('known', false),
  gssapicleanupcreds: K('known', false),
  gssapikexalgorithms: K('known', false),
  gssapikeyexchange: K('known', false),
  gssapistorecredentialsonrekey: K('known', false),
  gssapistrictacceptorcheck: K('known', false),
  gssapiusesessioncredcache: K('unsupported', false),
  gssusesessionccache: K('unsupported', false),
  hostbasedacceptedalgorithms: K('known', true),
  hostbasedacceptedkeytypes: K('known', true),
  hostbasedauthentication: K('known', true),
  hostbasedusesnamefrompacketonly: K('known', true),
  hostcertificate: K('known', false),
  hostdsakey: K('known', false),
  hostkey: K('known', false),
  hostkeyagent: K('known', false),
  hostkeyalgorithms: K('known', false),
  ignorerhosts: K('known', true),
  ignoreuserknownhosts: K('known', false),
  include: K('known', true),
  ipqos: K('known', true),
  kbdinteractiveauthentication: K('known', true),
  keepalive: K('known', false),
  kerberosauthentication: K('known', true),
  kerberosgetafstoken: K('unsupported', false),
  kerberosorlocalpasswd: K('known', false),
  kerberostgtpassing: K('unsupported', false),
  kerberosticketcleanup: K('known', false),
  kexalgorithms: K('known', false),
  keyregenerationinterval: K('deprecated', false),
  listenaddress: K('known', false),
  logingracetime: K('known', false),
  loglevel: K('known', true),
  logverbose: K('known', true),
  macs: K('known', false),
  match: K('known', true),
  maxauthtries: K('known', true),
  maxsessions: K('known', true),
  maxstartups: K('known', false),
  modulifile: K('known', false),
  pamauthenticationviakbdint: K('deprecated', false),
  passwordauthentication: K('known', true),
  permitblacklistedkeys: K('deprecated', false),
  permitemptypasswords: K('known', true),
  permitlisten: K('known', true),
  permitopen: K('known', true),
  permitrootlogin: K('known', true),
  permittty: K('known', true),
  permittunnel: K('known', true),
  permituserenvironment: K('known', false),
  permituserrc: K('known', true),
  persourcemaxstartups: K('known', false),
  persourcenetblocksize: K('known', false),
  pidfile: K('known', false),
  port: K('known', false),
  printlastlog: K('known', false),
  printmotd: K('known', false),
  protocol: K('ignored', false),
  pubkeyacceptedalgorithms: K('known', true),
  pubkeyacceptedkeytypes: K('known', true),
  pubkeyauthentication: K('known', true),
  pubkeyauthoptions: K('known', true),
  rdomain: K('known', true),
  rekeylimit: K('known', true),
  requiredrsasize: K('known', true),
  reversemappingcheck: K('deprecated', false),
  revokedkeys: K('known', true),
  rhostsauthentication: K('deprecated', false),
  rhostsrsaauthentication: K('deprecated', true),
  rsaauthentication: K('deprecated', false),
  securitykeyprovider: K('known', false),
  serverkeybits: K('deprecated', false),
  setenv: K('known', true),
  skeyauthentication: K('known', true),
  streamlocalbindmask: K('known', true),
  streamlocalbindunlink: K('known', true),
  strictmodes: K('known', false),
  subsystem: K('known', false),
  syslogfacility: K('known', false),
  tcpkeepalive: K('known', false),
  trustedusercakeys: K('known', true),
  unusedconnectiontimeout: K('known', true),
  usedns: K('known', false),
  uselogin: K('deprecated', false),
  usepam: K('known', false),
  useprivilegeseparation: K('deprecated', false),
  verifyreversemapping: K('deprecated', false),
  versionaddendum: K('known', false),
  x11displayoffset: K('known', true),
  x11forwarding: K('known', true),
  x11uselocalhost: K('known', true),
  xauthlocation: K('known', false),
};

/** Keywords that take more than one argument (every other keyword refuses "extra arguments at end of line"). */
const MULTI_ARG = new Set([
  'allowusers',
  'denyusers',
  'allowgroups',
  'denygroups',
  'acceptenv',
  'setenv',
  'authenticationmethods',
  'authorizedkeysfile',
  'ipqos',
  'rekeylimit',
  'listenaddress',
  'subsystem',
  'forcecommand',
  'permitopen',
  'permitlisten',
  'channeltimeout',
  'include',
  'match',
  'authorizedkeyscommand',
  'authorizedprincipalscommand',
  'versionaddendum',
  'pubkeyauthoptions',
  'logverbose',
]);

const ENUMS: Readonly<Record<string, readonly string[]>> = {
  permitrootlogin: ['yes', 'no', 'prohibit-password', 'without-password', 'forced-commands-only'],
  compression: ['yes', 'no', 'delayed'],
  gatewayports: ['yes', 'no', 'clientspecified'],
  allowtcpforwarding: ['yes', 'no', 'all', 'local', 'remote'],
  allowstreamlocalforwarding: ['yes', 'no', 'all', 'local', 'remote'],
  permittunnel: ['yes', 'no', 'point-to-point', 'ethernet'],
  ignorerhosts: ['yes', 'no', 'shosts-only'],
  addressfamily: ['any', 'inet', 'inet6'],
  loglevel: ['quiet', 'fatal', 'error', 'info', 'verbose', 'debug', 'debug1', 'debug2', 'debug3'],
  syslogfacility: ['daemon', 'user', 'auth', 'authpriv', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'],
  fingerprinthash: ['md5', 'sha256'],
};
/** Plain yes/no keywords (servconf.c multistate_flag). */
const FLAGS = new Set([
  'passwordauthentication',
  'pubkeyauthentication',
  'kbdinteractiveauthentication',
  'hostbasedauthentication',
  'hostbasedusesnamefrompacketonly',
  'kerberosauthentication',
  'kerberosorlocalpasswd',
  'kerberosticketcleanup',
  'gssapiauthentication',
  'gssapicleanupcredentials',
  'gssapikeyexchange',
  'gssapistrictacceptorcheck',
  'gssapistorecredentialsonrekey',
  'printmotd',
  'printlastlog',
  'x11forwarding',
  'x11uselocalhost',
  'permittty',
  'permituserrc',
  'strictmodes',
  'tcpkeepalive',
  'permitemptypasswords',
  'usedns',
  'allowagentforwarding',
  'disableforwarding',
  'streamlocalbindunlink',
  'exposeauthinfo',
  'usepam',
  'ignoreuserknownhosts',
  'debianbanner',
]);
export const SSHD_INT_KEYWORDS: ReadonlySet<string> = new Set([
  'maxauthtries',
  'clientalivecountmax',
  'maxsessions',
  'x11displayoffset',
  'requiredrsasize',
]);
export const SSHD_TIME_KEYWORDS: ReadonlySet<string> = new Set(['logingracetime', 'clientaliveinterval']);
const AUTH_METHODS = ['publickey', 'password', 'keyboard-interactive', 'hostbased', 'gssapi-with-mic', 'none'];

/** `ssh -Q key-sig` of Debian 12's OpenSSH 9.2: the names HostKeyAlgorithms & co. accept (wildcards allowed). */
export const KEY_SIG_ALGORITHMS: readonly string[] = [
  'ssh-ed25519',
  'ssh-ed25519-cert-v01@openssh.com',
  'sk-ssh-ed25519@openssh.com',
  'sk-ssh-ed25519-cert-v01@openssh.com',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp384-cert-v01@openssh.com',
  'ecdsa-sha2-nistp521',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'webauthn-sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-dss',
  'ssh-dss-cert-v01@openssh.com',
  'ssh-rsa',
  'ssh-rsa-cert-v01@openssh.com',
  'rsa-sha2-256',
  'rsa-sha2-256-cert-v01@openssh.com',
  'rsa-sha2-512',
  'rsa-sha2-512-cert-v01@openssh.com',
];
/** sshkey_type_from_name also takes the short names of plain (not certificate) key types, case-insensitively. */
const KEY_SHORT_NAMES = ['rsa', 'dsa', 'ecdsa', 'ecdsa-sk', 'ed25519', 'ed25519-sk'];

export type AlgorithmKeyword =
  | 'ciphers'
  | 'macs'
  | 'kexalgorithms'
  | 'hostkeyalgorithms'
  | 'pubkeyacceptedalgorithms'
  | 'casignaturealgorithms'
  | 'hostbasedacceptedalgorithms';
export const SSHD_ALGORITHM_KEYWORDS: ReadonlySet<string> = new Set<AlgorithmKeyword>([
  'ciphers',
  'macs',
  'kexalgorithms',
  'hostkeyalgorithms',
  'pubkeyacceptedalgorithms',
  'casignaturealgorithms',
  'hostbasedacceptedalgorithms',
]);

function wildcard(s: string, p: string): boolean {
  const re = new RegExp(
    `^${p
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    's',
  );
  return re.test(s);
}
function listMatch(s: string, list: string): boolean {
  let pos = false;
  for (const raw of list.split(',')) {
    const neg = raw.startsWith('!');
    if (wildcard(s, neg ? raw.slice(1) : raw)) {
      if (neg) return false;
      pos = true;
    }
  }
  return pos;
}

/** The names a build knows for an algorithm keyword. */
export function supportedAlgorithms(
  keyword: AlgorithmKeyword,
  supported: Readonly<Record<'ciphers' | 'macs' | 'kexalgorithms', readonly string[]>>,
): readonly string[] {
  return keyword === 'ciphers' || keyword === 'macs' || keyword === 'kexalgorithms' ? supported[keyword] : KEY_SIG_ALGORITHMS;
}

/** The names of a list up to its first empty element (ciphers_valid & co. stop there). */
function namesOf(list: string): string[] {
  const out: string[] = [];
  for (const n of list.split(',')) {
    if (n === '') break;
    out.push(n);
  }
  return out;
}

/** servconf.c: ciphers_valid / mac_valid / kex_names_valid / sshkey_names_valid2(…, 1); null when valid. */
export function algorithmListProblem(keyword: AlgorithmKeyword, spec: string, all: readonly string[]): string | null {
  if (spec.startsWith('-')) return null;
  const list = spec.startsWith('+') || spec.startsWith('^') ? spec.slice(1) : spec;
  const names = namesOf(list);
  const keys = !(keyword === 'ciphers' || keyword === 'macs' || keyword === 'kexalgorithms');
  // The check stops at the first empty element: ",aes128-ctr" is valid, "" and "+" are not.
  const bad =
    list === ''
      ? ''
      : names.find((n) => {
          if (all.includes(n)) return false;
          if (keys) return !(KEY_SHORT_NAMES.includes(n.toLowerCase()) || all.some((a) => listMatch(a, n)));
          return true;
        });
  if (bad === undefined) {
    // kex_assemble_names (fill_default_server_options): a '!' pattern, or an explicit list that
    // matches no algorithm of the build (`HostKeyAlgorithms ed25519`), is fatal.
    const assembled =
      spec.startsWith('+') || spec.startsWith('^') ? null : list.split(',').flatMap((p) => all.filter((a) => listMatch(a, p)));
    if (list.split(',').some((p) => p.startsWith('!')) || (assembled !== null && assembled.length === 0))
      return `assemble_algorithms: ${keyword}: invalid argument`;
    return null;
  }
  const what: Record<AlgorithmKeyword, string> = {
    ciphers: 'Bad SSH2 cipher spec',
    macs: 'Bad SSH2 mac spec',
    kexalgorithms: 'Bad SSH2 KexAlgorithms',
    hostkeyalgorithms: 'Bad key types',
    pubkeyacceptedalgorithms: 'Bad key types',
    casignaturealgorithms: 'Bad key types',
    hostbasedacceptedalgorithms: 'Bad key types',
  };
  return `${what[keyword]} '${spec}' (unknown name "${bad}")`;
}

/** kex_assemble_names: the list as sshd -T prints it (+ appends, - removes, ^ prepends; duplicates and unknown wildcards dropped). */
export function assembleAlgorithms(spec: string, def: readonly string[], all: readonly string[]): string {
  const expand = (list: string) => namesOf(list).flatMap((p) => (all.includes(p) ? [p] : all.filter((a) => listMatch(a, p))));
  const uniq = (xs: string[]) => [...new Set(xs)];
  if (spec.startsWith('+')) return uniq([...def, ...expand(spec.slice(1))]).join(',');
  if (spec.startsWith('-')) return def.filter((a) => !listMatch(a, spec.slice(1))).join(',');
  if (spec.startsWith('^')) return uniq([...expand(spec.slice(1)), ...def]).join(',');
  return uniq(expand(spec)).join(',');
}

/** AuthenticationMethods syntax (auth2_methods_valid(…, 0) and servconf.c); null when valid. */
export function authMethodsProblem(args: readonly string[]): string | null {
  if (args.includes('any')) return args.length === 1 ? null : '"any" must appear alone in AuthenticationMethods';
  for (const list of args) {
    for (const m of list.split(',')) {
      if (!AUTH_METHODS.some((a) => m === a || m.startsWith(`${a}:`)))
        return `Unknown authentication method "${m}" in list: invalid AuthenticationMethods method list`;
    }
  }
  return null;
}

/** Which keyword enables an authentication method (auth2_methods_valid(…, 1)). */
export const AUTH_METHOD_KEYWORD: Readonly<Record<string, string>> = {
  publickey: 'pubkeyauthentication',
  password: 'passwordauthentication',
  'keyboard-interactive': 'kbdinteractiveauthentication',
  hostbased: 'hostbasedauthentication',
  'gssapi-with-mic': 'gssapiauthentication',
};

/** A value sshd -t refuses, as its message; null when sshd 9.2 accepts it. `keyword` is canonical. */
export function sshdValueProblem(
  keyword: string,
  args: readonly string[],
  supported: Readonly<Record<'ciphers' | 'macs' | 'kexalgorithms', readonly string[]>>,
  services: ReadonlyMap<string, number> | null = null,
): string | null {
  const a0 = args[0]!;
  const v = a0.toLowerCase();
  if (FLAGS.has(keyword) && !['yes', 'no'].includes(v)) return `unsupported option "${a0}"`;
  const en = ENUMS[keyword];
  if (en && !en.includes(v)) return `unsupported option "${a0}"`;
  if (SSHD_INT_KEYWORDS.has(keyword)) {
    if (!/^[+-]?\d+$/.test(a0)) return `${keyword} integer value invalid`;
    if (Number(a0) < 0) return `${keyword} integer value too small`;
    if (Number(a0) > 2147483647) return `${keyword} integer value too large`;
  }
  if (SSHD_TIME_KEYWORDS.has(keyword) && convtime(a0) === null) return `invalid time value "${a0}"`;
  if (keyword === 'port' && a2port(a0, services) <= 0) return 'Badly formatted port number';
  if (SSHD_ALGORITHM_KEYWORDS.has(keyword)) {
    const k = keyword as AlgorithmKeyword;
    const p = algorithmListProblem(k, a0, supportedAlgorithms(k, supported));
    if (p) return p;
  }
  if (keyword === 'authenticationmethods') {
    const p = authMethodsProblem(args);
    if (p) return p;
  }
  if (keyword === 'allowusers' || keyword === 'denyusers') {
    for (const u of args)
      if (!userPatternValid(u)) return `invalid ${keyword === 'allowusers' ? 'AllowUsers' : 'DenyUsers'} pattern: "${u}"`;
  }
  const p = argumentProblem(keyword, args, services);
  if (p) return p;
  if (!MULTI_ARG.has(keyword) && args.length > 1) return 'extra arguments at end of line';
  return null;
}

/** parse_ipqos: a DSCP/precedence name (case-insensitive) or a number 0–255 (strtol base 0). */
const IPQOS_NAMES = new Set([
  'none',
  'af11',
  'af12',
  'af13',
  'af21',
  'af22',
  'af23',
  'af31',
  'af32',
  'af33',
  'af41',
  'af42',
  'af43',
  'cs0',
  'cs1',
  'cs2',
  'cs3',
  'cs4',
  'cs5',
  'cs6',
  'cs7',
  'ef',
  'le',
  'lowdelay',
  'throughput',
  'reliability',
]);
function ipqosValid(s: string): boolean {
  if (IPQOS_NAMES.has(s.toLowerCase())) return true;
  const m = /^[ \t]*([+-]?)(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.exec(s);
  if (!m) return false;
  const v =
    (m[1] === '-' ? -1 : 1) *
    (/^0x/i.test(m[2]!) ? parseInt(m[2]!.slice(2), 16) : m[2]!.startsWith('0') ? parseInt(m[2]!, 8) || 0 : Number(m[2]));
  return v >= 0 && v <= 255;
}
/** sscanf(s, "%d:%d:%d"): how many integers were read, and them. */
function scanInts(s: string, max: number): number[] {
  const out: number[] = [];
  let rest = s;
  for (let i = 0; i < max; i++) {
    const m = /^[ \t\n\r\f\v]*([+-]?\d+)/.exec(rest);
    if (!m) break;
    out.push(Number(m[1]));
    rest = rest.slice(m[0].length);
    if (i < max - 1) {
      if (!rest.startsWith(':')) break;
      rest = rest.slice(1);
    }
  }
  return out;
}
/** misc.c hpdelim2: host and port of "host:port", "[v6]:port", "host/port"; null when malformed. */
function hpdelim(s: string): { host: string; port: string | null } | null {
  let i: number;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return null;
    i = close + 1;
  } else {
    const m = /[:/]/.exec(s);
    i = m ? m.index : s.length;
  }
  if (i >= s.length) return { host: s, port: null };
  if (s[i] !== ':' && s[i] !== '/') return null;
  return { host: s.slice(0, i), port: s.slice(i + 1) };
}
/** The GSSAPI key exchange names of Debian's GSSAPI patch (kex_gss_names_valid compares prefixes). */
const GSS_KEX_PREFIXES = [
  'gss-gex-sha1-',
  'gss-group1-sha1-',
  'gss-group14-sha1-',
  'gss-group14-sha256-',
  'gss-group16-sha512-',
  'gss-nistp256-sha256-',
  'gss-curve25519-sha256-',
];

/** servconf.c's per-keyword argument checks (OpenSSH 9.2p1, verified with sshd -t); null when accepted. */
function argumentProblem(keyword: string, args: readonly string[], services: ReadonlyMap<string, number> | null): string | null {
  const a0 = args[0]!;
  switch (keyword) {
    case 'authorizedkeyscommand':
    case 'authorizedprincipalscommand':
      return a0.startsWith('/') || a0.toLowerCase() === 'none'
        ? null
        : `${keyword === 'authorizedkeyscommand' ? 'AuthorizedKeysCommand' : 'AuthorizedPrincipalsCommand'} must be an absolute path`;
    case 'ipqos':
      if (!ipqosValid(a0)) return `Bad IPQoS value: ${a0}`;
      if (args[1] !== undefined && !ipqosValid(args[1])) return `Bad IPQoS value: ${args[1]}`;
      return args.length > 2 ? 'extra arguments at end of line' : null;
    case 'channeltimeout':
      for (const a of args) {
        if (a.toLowerCase() === 'none') continue;
        const eq = a.indexOf('=');
        if (eq <= 0 || convtime(a.slice(eq + 1)) === null) return `invalid channel timeout ${a}`;
      }
      return null;
    case 'gssapikexalgorithms': {
      const names = a0.split(',');
      const bad = names.find((n) => n !== '' && !GSS_KEX_PREFIXES.some((g) => n.startsWith(g)));
      return a0 === '' || bad !== undefined ? `Bad GSSAPI KexAlgorithms '${a0}'` : null;
    }
    case 'listenaddress': {
      if (args.length > 1)
        return args[1] !== 'rdomain' || args.length !== 3 ? 'bad ListenAddress syntax' : 'bad routing domain (not supported by this build)';
      const colons = a0.indexOf(':');
      if (!a0.includes('[') && colons >= 0 && a0.indexOf(':', colons + 1) >= 0) return null;
      const hp = hpdelim(a0);
      if (hp === null) return 'bad address:port usage';
      return hp.port !== null && a2port(hp.port, services) <= 0 ? 'bad port number' : null;
    }
    case 'maxstartups': {
      const n = scanInts(a0, 3);
      if (n.length !== 1 && n.length !== 3) return 'Invalid MaxStartups spec';
      const [begin, rate, full] = n.length === 3 ? n : [n[0]!, 1, n[0]!];
      return begin! > full! || rate! > 100 || rate! < 1 || full! <= 0 || begin! <= 0 ? 'Invalid MaxStartups spec' : null;
    }
    case 'persourcemaxstartups':
      if (a0 === 'none') return null;
      return /^[ \t]*\+?\d+$/.test(a0) && Number(a0) <= 2147483647 ? null : 'PerSourceMaxStartups integer value invalid';
    case 'persourcenetblocksize': {
      const n = scanInts(a0, 2);
      const ok = n.length >= 1 && n[0]! >= 0 && n[0]! <= 32 && (n.length < 2 || (n[1]! >= 0 && n[1]! <= 128));
      return ok ? null : 'Invalid PerSourceNetBlockSize spec';
    }
    case 'pubkeyauthoptions': {
      const bad = args.find((a) => !['none', 'touch-required', 'verify-required'].includes(a.toLowerCase()));
      return bad === undefined ? null : `unsupported PubkeyAuthOptions option ${bad}`;
    }
    case 'rekeylimit': {
      if (a0 !== 'default') {
        const m = /^[ \t]*([+-]?\d+(?:\.\d+)?)([bkmgtpe]?)$/i.exec(a0);
        if (!m) return `Bad RekeyLimit number '${a0}': Invalid argument`;
        const v = Number(m[1]);
        if (v !== 0 && v < 16 && m[2] === '') return 'RekeyLimit too small';
      }
      if (args[1] !== undefined && args[1] !== 'none' && convtime(args[1]) === null) return 'invalid time value';
      return args.length > 2 ? 'extra arguments at end of line' : null;
    }
    case 'setenv':
      return args.every((a) => a.includes('=') && !a.startsWith('=')) ? null : 'Invalid environment';
    case 'acceptenv':
      return args.some((a) => a.includes('=')) ? 'Invalid environment name' : null;
    case 'streamlocalbindmask': {
      const m = /^[ \t\n\r\f\v]*([+-]?)([0-7]+)/.exec(a0);
      const v = m ? (m[1] === '-' ? -1 : 1) * parseInt(m[2]!, 8) : -1;
      return m && v >= 0 && v <= 0o777 ? null : 'Invalid StreamLocalBindMask';
    }
    case 'unusedconnectiontimeout':
      return a0.toLowerCase() === 'none' || convtime(a0) !== null ? null : 'invalid time value';
    case 'rdomain':
      return 'setting RDomain not supported on this platform';
    case 'subsystem':
      return args.length < 2 ? 'Missing subsystem command' : null;
    case 'permitopen':
    case 'permitlisten': {
      const name = keyword === 'permitopen' ? 'PermitOpen' : 'PermitListen';
      if (a0 === 'any' || a0 === 'none') return args.length > 1 ? 'extra arguments at end of line' : null;
      for (const a of args) {
        const hp = hpdelim(keyword === 'permitlisten' && !a.includes(':') ? `*:${a}` : a);
        if (hp === null) return `${name} missing host`;
        if (hp.port === null || (hp.port !== '*' && a2port(hp.port, services) <= 0)) return `${name} bad port number`;
      }
      return null;
    }
    default:
      return null;
  }
}

/** The value as `sshd -T` prints it (one-value keywords); `keyword` is canonical. */
export function normalizeSshdValue(
  keyword: string,
  args: readonly string[],
  defaults: {
    values: Readonly<Record<string, string>>;
    supported: Readonly<Record<'ciphers' | 'macs' | 'kexalgorithms', readonly string[]>>;
  },
): string {
  const a0 = args[0]!;
  if (keyword === 'permitrootlogin') {
    const v = a0.toLowerCase();
    return v === 'prohibit-password' ? 'without-password' : v;
  }
  if (FLAGS.has(keyword) || ENUMS[keyword]) return a0.toLowerCase();
  if (SSHD_INT_KEYWORDS.has(keyword) && /^[+-]?\d+$/.test(a0)) return String(Number(a0));
  if (SSHD_TIME_KEYWORDS.has(keyword)) return String(convtime(a0) ?? a0);
  if (SSHD_ALGORITHM_KEYWORDS.has(keyword)) {
    const k = keyword as AlgorithmKeyword;
    return assembleAlgorithms(a0, (defaults.values[k] ?? '').split(','), supportedAlgorithms(k, defaults.supported));
  }
  return args.join(' ');
}
