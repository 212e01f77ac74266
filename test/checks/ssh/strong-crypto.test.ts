import { test } from 'node:test';
import assert from 'node:assert/strict';
import check from '../../../src/checks/ssh/strong-crypto.js';
import { ctx } from '../../helpers.js';
import { sshdFacts } from '../../sshd/facts.js';
import type { SshdHostKey } from '../../../src/facts/sshd.js';

const STRONG = {
  ciphers: 'chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-ctr',
  macs: 'hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,umac-128-etm@openssh.com',
  kexalgorithms: 'sntrup761x25519-sha512@openssh.com,curve25519-sha256,diffie-hellman-group16-sha512',
};
const key = (type: string, bits: number | null, error: string | null = null): SshdHostKey => ({
  path: `/etc/ssh/ssh_host_${type}_key`,
  type: error ? null : type,
  bits,
  error,
});
const GOOD_KEYS = [key('ssh-ed25519', 256), key('ssh-rsa', 4096)];

const CASES = [
  { name: 'strong lists, ed25519 + RSA 4096', set: STRONG, keys: GOOD_KEYS, status: 'pass', summary: /only strong/ },
  {
    name: 'OpenSSH 9.2 defaults (hmac-sha1, umac-64)',
    set: {},
    keys: GOOD_KEYS,
    status: 'fail',
    summary: /MACs offers umac-64-etm@openssh\.com,hmac-sha1-etm@openssh\.com,umac-64@openssh\.com,hmac-sha1/,
  },
  {
    name: 'CBC cipher added',
    set: { ...STRONG, ciphers: `${STRONG.ciphers},aes128-cbc` },
    keys: GOOD_KEYS,
    status: 'fail',
    summary: /Ciphers offers aes128-cbc/,
  },
  {
    name: 'SHA-1 kex',
    set: { ...STRONG, kexalgorithms: `${STRONG.kexalgorithms},diffie-hellman-group14-sha1` },
    keys: GOOD_KEYS,
    status: 'fail',
    summary: /KexAlgorithms offers diffie-hellman-group14-sha1/,
  },
  { name: 'RSA host key 2048 bits', set: STRONG, keys: [key('ssh-rsa', 2048)], status: 'fail', summary: /2048 bits \(< 3072\)/ },
  { name: 'DSA host key', set: STRONG, keys: [key('ssh-dss', 1024)], status: 'fail', summary: /DSA host key/ },
  {
    name: 'host public key unreadable',
    set: STRONG,
    keys: [key('ssh-rsa', null, 'missing .pub')],
    status: 'unknown',
    summary: /missing \.pub/,
  },
] as const;

for (const c of CASES) {
  test(`ssh.strong-crypto: ${c.name} → ${c.status}`, () => {
    const v = check.evaluate({ sshd: sshdFacts(c.set, { hostKeys: [...c.keys] }) }, ctx({ profile: 'strict' }));
    assert.equal(v.status, c.status);
    assert.match(v.summary, c.summary);
  });
}
