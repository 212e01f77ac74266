import type { DataDir } from '../../facts/storage.js';
import { defineCheck } from '../define.js';
import { fail, na, pass, unknown, type Evidence } from '../verdict.js';

function where(d: DataDir): string {
  return d.mount ? `${d.mount.device} mounted on ${d.mount.mountPoint} (${d.mount.fstype})` : 'an unknown file system';
}

function stack(d: DataDir): string {
  return d.layers.map((l) => `${l.name} [${l.kind}]`).join(' ← ') || 'no device layers';
}

export default defineCheck({
  id: 'fs.encryption-at-rest',
  remediation:
    'Put the data directories on a LUKS-encrypted device (cryptsetup luksFormat, /etc/crypttab) or an encrypted ZFS dataset, and move the data there.',
  needs: ['storage'],
  evaluate({ storage }) {
    const present = storage.dirs.filter((d) => d.exists);
    const missing = storage.dirs.filter((d) => !d.exists).map((d) => `${d.path} (${d.role})`);
    const skipped = missing.length > 0 ? `; skipped, not present: ${missing.join(', ')}` : '';
    if (present.length === 0) return na(`No data directory exists${skipped}`);
    const plain = present.filter((d) => d.stackEncrypted === false && d.fscrypt !== true);
    const open = present.filter((d) => d.stackEncrypted === null && d.fscrypt !== true);
    const ok = present.filter((d) => d.stackEncrypted === true || d.fscrypt === true);
    const ev = (d: DataDir, message: string): Evidence => ({
      ...(d.mount?.source ?? d.source),
      message: `${d.path} (${d.role}): ${message}`,
    });
    if (plain.length > 0)
      return fail(
        `${plain.map((d) => d.path).join(', ')} ${plain.length === 1 ? 'is' : 'are'} on unencrypted storage: ${where(plain[0]!)}${skipped}`,
        plain.map((d) => ev(d, `on ${where(d)}, device stack ${stack(d)}: no encrypting layer`)),
      );
    if (open.length > 0)
      return unknown(
        `Cannot tell whether ${open.map((d) => d.path).join(', ')} ${open.length === 1 ? 'is' : 'are'} encrypted: ${open[0]!.problem ?? 'no answer'}${skipped}`,
        open.map((d) => ev(d, d.problem ?? 'unknown')),
      );
    return pass(
      `${ok.map((d) => d.path).join(', ')} ${ok.length === 1 ? 'is' : 'are'} on encrypted storage (${ok.map((d) => (d.fscrypt ? 'fscrypt' : (d.layers.find((l) => l.encrypted)?.kind ?? '?'))).join(', ')})${skipped}`,
      ok.map((d) => ev(d, d.fscrypt ? 'fscrypt-encrypted directory' : `device stack ${stack(d)}`)),
    );
  },
});
