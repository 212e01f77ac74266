// passwd/group/shadow (passwd.ts, shadow.ts), login.defs, PAM, sudoers.
import fc from 'fast-check';
import { parsePasswd, parseGroup, type PasswdRecord, type ParsedTable } from '../../src/collect/parse/passwd.js';
import { parseShadow } from '../../src/collect/parse/shadow.js';
import { parseLoginDefs, type LoginDefsEntry } from '../../src/collect/parse/login-defs.js';
import { parsePam } from '../../src/collect/parse/pam.js';
import { parseSudoers } from '../../src/collect/parse/sudoers.js';
import { caseOf, fileOf, ident, word, ws, type FuzzTarget } from './harness.js';

const id = fc.integer({ min: 0, max: 65535 });
const path = fc.array(ident, { minLength: 1, maxLength: 3 }).map((p) => '/' + p.join('/'));
const passwdLine = fc
  .tuple(
    ident,
    fc.constantFrom('x', '', '*', '!'),
    id,
    id,
    fc.stringMatching(/^[A-Za-z ]{0,12}$/),
    path,
    fc.constantFrom('/bin/bash', '/usr/sbin/nologin', '/bin/false', '/bin/sh'),
  )
  .map((f) => f.join(':'));
const noLine = (r: PasswdRecord) => ({ ...r, line: 0 });

export const passwd: FuzzTarget = {
  name: 'passwd',
  parse: (t) => parsePasswd(String(t)),
  valid: fc.array(passwdLine, { maxLength: 20 }).map((l) => l.join('\n') + '\n'),
  facts: (p) => (p as ParsedTable<PasswdRecord>).records.map(noLine),
  print: (p) =>
    (p as ParsedTable<PasswdRecord>).records
      .map((r) =>
        [r.name, r.passwordField === 'x' ? 'x' : r.passwordField === 'empty' ? '' : '*', r.uid, r.gid, '', r.home, r.shell].join(':'),
      )
      .join('\n') + '\n',
};

export const group: FuzzTarget = {
  name: 'group',
  parse: (t) => parseGroup(String(t)),
  valid: fc
    .array(
      fc
        .tuple(ident, fc.constantFrom('x', ''), id, fc.array(ident, { maxLength: 4 }))
        .map(([n, p, g, m]) => `${n}:${p}:${g}:${m.join(',')}`),
      { maxLength: 20 },
    )
    .map((l) => l.join('\n') + '\n'),
};

export const shadow: FuzzTarget = {
  name: 'shadow',
  parse: (t) => parseShadow(String(t)),
  valid: fc
    .array(
      fc
        .tuple(
          ident,
          fc.constantFrom('*', '!', '!!', '', '$6$salt$' + 'a'.repeat(86), '$y$j9T$salt$' + 'b'.repeat(43), '!$6$x$y'),
          fc.constantFrom('', '19000'),
          fc.constantFrom('', '0'),
          fc.constantFrom('', '99999'),
          fc.constantFrom('', '7'),
        )
        .map(([n, h, a, b, c, d]) => `${n}:${h}:${a}:${b}:${c}:${d}:::`),
      { maxLength: 20 },
    )
    .map((l) => l.join('\n') + '\n'),
};

const LD = ['PASS_MAX_DAYS', 'PASS_MIN_DAYS', 'UMASK', 'ENCRYPT_METHOD', 'SHA_CRYPT_MIN_ROUNDS', 'LOGIN_RETRIES'];
export const loginDefs: FuzzTarget = {
  name: 'login.defs',
  parse: (t) => parseLoginDefs(String(t)),
  valid: fileOf(
    fc
      .tuple(
        fc.constantFrom(...LD),
        ws,
        fc.oneof(
          word,
          word.map((w) => `"${w}"`),
        ),
      )
      .map(([k, s, v]) => `${k}${s}${v}`),
  ),
  facts: (p) => Object.fromEntries(Object.entries(p as Record<string, LoginDefsEntry>).map(([k, e]) => [k, e.value])),
  print: (p) =>
    Object.entries(p as Record<string, LoginDefsEntry>)
      .map(([k, e]) => `${k} ${e.value}`)
      .join('\n') + '\n',
};

const pamLine = fc
  .tuple(
    fc.constantFrom('auth', 'account', 'password', 'session', '-auth', '-session'),
    fc.constantFrom('required', 'requisite', 'sufficient', 'optional', '[success=1 default=ignore]', '[default=die]'),
    fc.constantFrom('pam_unix.so', 'pam_deny.so', 'pam_faillock.so', '/lib/security/pam_pwquality.so'),
    fc.array(fc.constantFrom('nullok', 'retry=3', 'minlen=14', 'yescrypt', '[foo=bar baz]'), { maxLength: 3 }),
  )
  .map(([a, b, c, d]) => [a, b, c, ...d].join(' '));
export const pam: FuzzTarget = {
  name: 'pam',
  parse: (t) => parsePam(String(t)),
  valid: fileOf(fc.oneof(pamLine, fc.constantFrom('@include common-auth', 'auth \\\n required pam_unix.so'))),
};

const sudoLine = fc.oneof(
  fc
    .tuple(
      fc.oneof(
        ident,
        ident.map((g) => `%${g}`),
      ),
      fc.constantFrom('ALL', 'localhost'),
      fc.constantFrom('(ALL:ALL)', '(root)', ''),
      fc.constantFrom('', 'NOPASSWD: ', 'PASSWD:'),
      fc.constantFrom('ALL', '/usr/bin/apt', '/bin/ls, /bin/cat'),
    )
    .map(([u, h, r, t, c]) => `${u} ${h}=${r} ${t}${c}`),
  fc
    .tuple(
      caseOf('Defaults'),
      fc.constantFrom('', ':root', '@host', '>root'),
      fc.constantFrom(' env_reset', ' !lecture', ' timestamp_timeout=5', ' secure_path="/usr/bin:/bin"', ' use_pty'),
    )
    .map(([a, b, c]) => a.replace(/./, 'D') + b + c),
  fc
    .tuple(
      fc.constantFrom('User_Alias', 'Cmnd_Alias', 'Host_Alias'),
      ident.map((s) => s.toUpperCase()),
      fc.array(ident, { minLength: 1, maxLength: 3 }),
    )
    .map(([k, n, m]) => `${k} ${n} = ${m.join(', ')}`),
  fc.constantFrom('@includedir /etc/sudoers.d', '#includedir /etc/sudoers.d', '@include /etc/sudoers.local', 'root ALL=(ALL) \\\n ALL'),
);
export const sudoers: FuzzTarget = { name: 'sudoers', parse: (t) => parseSudoers(String(t)), valid: fileOf(sudoLine) };
