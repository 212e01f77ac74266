/** `sshd -T` output: "keyword value" lines; keywords printed on several lines are joined by spaces. */
export function parseSshdDump(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (l === '') continue;
    const sp = l.indexOf(' ');
    const k = (sp === -1 ? l : l.slice(0, sp)).toLowerCase();
    const v = sp === -1 ? '' : l.slice(sp + 1);
    out[k] = k in out ? `${out[k]!} ${v}` : v;
  }
  return out;
}

/** "OpenSSH_9.2p1 Debian-2+deb12u10, OpenSSL …" → "9.2p1". */
export function parseOpensshVersion(text: string): string | null {
  return /OpenSSH_(\d+\.\d+(?:p\d+)?)/.exec(text)?.[1] ?? null;
}

/**
 * An OpenSSH public key line ("type base64 comment") → key type and size in bits. RSA: the modulus
 * length (RFC 4253 6.6: string "ssh-rsa", mpint e, mpint n); ECDSA: the curve; Ed25519: 256.
 */
export function parsePublicKey(text: string): { type: string; bits: number | null } | { error: string } {
  const parts = text.trim().split(/\s+/);
  const [type, b64] = parts;
  if (!type || !b64 || !/^[A-Za-z0-9+/]+=*$/.test(b64)) return { error: 'not an OpenSSH public key line' };
  const blob = Buffer.from(b64, 'base64');
  const fields: Buffer[] = [];
  let off = 0;
  while (off + 4 <= blob.length && fields.length < 6) {
    const n = blob.readUInt32BE(off);
    if (off + 4 + n > blob.length) return { error: 'truncated public key blob' };
    fields.push(blob.subarray(off + 4, off + 4 + n));
    off += 4 + n;
  }
  const inner = fields[0]?.toString('latin1');
  if (inner !== type) return { error: `key blob type ${JSON.stringify(inner ?? '')} does not match ${JSON.stringify(type)}` };
  if (type === 'ssh-rsa') {
    const n = fields[2];
    if (!n) return { error: 'RSA key without a modulus' };
    let i = 0;
    while (i < n.length && n[i] === 0) i++;
    if (i === n.length) return { type, bits: 0 };
    return { type, bits: (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]!)) };
  }
  if (type === 'ssh-dss') {
    const p = fields[1];
    if (!p) return { error: 'DSA key without p' };
    let i = 0;
    while (i < p.length && p[i] === 0) i++;
    return { type, bits: i === p.length ? 0 : (p.length - i - 1) * 8 + (32 - Math.clz32(p[i]!)) };
  }
  const ec = /^ecdsa-sha2-nistp(\d+)$/.exec(type);
  if (ec) return { type, bits: Number(ec[1]) };
  if (type === 'ssh-ed25519') return { type, bits: 256 };
  return { type, bits: null };
}
