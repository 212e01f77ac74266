import { defineCheck } from '../define.js';
import { pass, unknown } from '../verdict.js';
import { judgeSshd, outcomeVerdict, sshdMethodNote, sshdOutcome, type SshdEvidence, type SshdJudgement } from './_lib.js';

/** Guide 3.2 (strict): CBC/arcfour ciphers, MD5/SHA-1/96-bit (and 64-bit-tag UMAC) MACs, SHA-1 kex are weak. */
const WEAK_CIPHER = /(-cbc|^arcfour|^rijndael-cbc|^3des|^blowfish|^cast128)/;
const WEAK_MAC = /(md5|sha1|-96|^umac-64)/;
const WEAK_KEX = /sha1/;
const MIN_RSA_BITS = 3072;

const listOk = (weak: RegExp) => (v: string) => v.split(',').every((a) => !weak.test(a));

export default defineCheck({
  id: 'ssh.strong-crypto',
  remediation:
    'Set Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr; MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,umac-128-etm@openssh.com; KexAlgorithms without *-sha1; remove DSA host keys and regenerate RSA host keys with 4096 bits.',
  needs: ['sshd'],
  evaluate({ sshd }) {
    const algs: SshdJudgement[] = [
      ['ciphers', 'Ciphers', WEAK_CIPHER],
      ['macs', 'MACs', WEAK_MAC],
      ['kexalgorithms', 'KexAlgorithms', WEAK_KEX],
    ].map(([k, name, weak]) => {
      const weakOf = (v: string) =>
        v
          .split(',')
          .filter((a) => (weak as RegExp).test(a))
          .join(',');
      return judgeSshd(sshd, k as string, name as string, listOk(weak as RegExp), (v) => `offers ${weakOf(v)}`);
    });
    const keys: { bad: SshdEvidence[]; good: SshdEvidence[] } = { bad: [], good: [] };
    const unreadable: SshdEvidence[] = [];
    for (const k of sshd.hostKeys) {
      if (k.error || !k.type) unreadable.push({ path: `${k.path}.pub`, message: `host key ${k.path}: ${k.error ?? 'unknown type'}` });
      else if (k.type === 'ssh-dss') keys.bad.push({ path: `${k.path}.pub`, message: `DSA host key ${k.path}` });
      else if (k.type === 'ssh-rsa' && (k.bits ?? 0) < MIN_RSA_BITS)
        keys.bad.push({ path: `${k.path}.pub`, message: `RSA host key ${k.path} has ${k.bits ?? '?'} bits (< ${MIN_RSA_BITS})` });
      else keys.good.push({ path: `${k.path}.pub`, message: `${k.type} host key ${k.path} (${k.bits ?? '?'} bits)` });
    }
    const o = sshdOutcome(sshd, [...algs, keys]);
    if (o.status === 'pass' && unreadable.length)
      return unknown(`${unreadable.map((u) => u.message).join('; ')}; the algorithms are strong`, [...unreadable, ...o.evidence]);
    if (o.status === 'pass') return pass(`only strong ciphers, MACs, key exchanges and host keys${sshdMethodNote(sshd)}`, o.evidence);
    return outcomeVerdict(o);
  },
});
