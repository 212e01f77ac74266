import type { SshdProblem, SshdSetting } from '../facts/sshd.js';
import type { Target } from '../target/types.js';
import type { SshdDefaults } from './parse/sshd-defaults.js';

/** Host key files are a few KiB; anything much bigger is not one. */
const MAX_KEY_BYTES = 64 * 1024;

/**
 * Whether sshd could load one host key, judged from the files as sshd.c does at start (`sshd -t`
 * included): every HostKey (else the built-in default paths) is tried; a missing file, one that is
 * not a private key, one encrypted with a passphrase, or one owned by root and readable by group or
 * others ("UNPROTECTED PRIVATE KEY FILE", sshkey_perm_ok) does not load; when none loads sshd says
 * "no hostkeys available -- exiting." (verified with sshd 9.2). The key material is never kept or shown.
 * Returns a 'hostkey' error when no key loads, an 'unreadable' one when it cannot be known, else nothing.
 */
export async function hostKeyProblems(t: Target, effective: Record<string, SshdSetting>, defaults: SshdDefaults): Promise<SshdProblem[]> {
  const set = effective.hostkey?.value.split(' ').filter(Boolean) ?? [];
  const paths = set.length ? set : [...defaults.hostKeys];
  const agent = (effective.hostkeyagent?.value ?? 'none').toLowerCase() !== 'none';
  const src =
    set.length && effective.hostkey?.source.path
      ? { path: effective.hostkey.source.path, line: effective.hostkey.source.line ?? null }
      : null;
  const reasons: string[] = [];
  let undecided = false;
  for (const raw of paths) {
    const p = raw.startsWith('/') ? raw : `/${raw}`;
    const r = await keyLoads(t, p);
    if (r === true) return [];
    if (r.undecided) undecided = true;
    // With HostKeyAgent sshd may take the public key and sign through the agent, which files cannot show.
    else if (agent && (await t.stat(`${p}.pub`)).ok) undecided = true;
    reasons.push(`${p}: ${r.reason}`);
  }
  const where = src ?? { path: paths[0]!.startsWith('/') ? paths[0]! : `/${paths[0]!}`, line: null };
  const list = `${reasons.join('; ')}${set.length ? '' : ' (no HostKey line: the default keys)'}`;
  if (undecided) {
    return [
      {
        ...where,
        line: null,
        severity: 'error',
        kind: 'unreadable',
        keyword: 'hostkey',
        message: `whether sshd can load a host key is not known: ${list}${agent ? ' (HostKeyAgent is set)' : ''}`,
      },
    ];
  }
  return [
    { ...where, severity: 'error', kind: 'hostkey', keyword: 'hostkey', message: `no hostkeys available -- exiting (sshd): ${list}` },
  ];
}

async function keyLoads(t: Target, path: string): Promise<true | { reason: string; undecided: boolean }> {
  const st = await t.stat(path);
  if (!st.ok)
    return { reason: st.error === 'missing' ? 'no such file' : st.message, undecided: st.error === 'denied' || st.error === 'io' };
  if (st.type !== 'file') return { reason: 'not a regular file', undecided: false };
  if (st.uid === 0 && (st.mode & 0o077) !== 0)
    return { reason: `permissions 0${(st.mode & 0o777).toString(8)} are too open (the key is ignored)`, undecided: false };
  const b = await t.readBytes(path, { maxBytes: MAX_KEY_BYTES, binaryOk: true });
  if (!b.ok) return { reason: b.message, undecided: b.error !== 'too-large' };
  const format = privateKeyFormat(b.bytes.toString('latin1'));
  return format === 'plain'
    ? true
    : { reason: format === 'encrypted' ? 'encrypted with a passphrase' : 'not a private key (invalid format)', undecided: false };
}

/** The PEM/OpenSSH armour of a private key: sshd loads it with an empty passphrase, so an encrypted one does not load. */
export function privateKeyFormat(text: string): 'plain' | 'encrypted' | 'invalid' {
  const m = /-----BEGIN ([A-Z ]+)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return 'invalid';
  const label = m[1]!;
  const body = m[2]!;
  if (label === 'OPENSSH PRIVATE KEY') {
    const bin = Buffer.from(body.replace(/\s+/g, ''), 'base64');
    const magic = 'openssh-key-v1\u0000';
    if (bin.subarray(0, magic.length).toString('latin1') !== magic || bin.length < magic.length + 4) return 'invalid';
    const len = bin.readUInt32BE(magic.length);
    const cipher = bin.subarray(magic.length + 4, magic.length + 4 + len).toString('latin1');
    return cipher === 'none' ? 'plain' : 'encrypted';
  }
  if (label === 'ENCRYPTED PRIVATE KEY') return 'encrypted';
  if (label === 'PRIVATE KEY') return 'plain';
  if (label === 'RSA PRIVATE KEY' || label === 'EC PRIVATE KEY' || label === 'DSA PRIVATE KEY')
    return /Proc-Type:\s*4,ENCRYPTED/.test(body) ? 'encrypted' : 'plain';
  return 'invalid';
}
