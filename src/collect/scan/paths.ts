import type { ScannedPath } from '../../facts/world-writable.js';

const strict = new TextDecoder('utf-8', { fatal: true });

/** Exact when the bytes are UTF-8; otherwise invalid bytes become \xNN and the raw bytes are kept in base64. */
export function scannedPath(bytes: Buffer): ScannedPath {
  try {
    return { path: strict.decode(bytes), rawBase64: null };
  } catch {
    return { path: escapeInvalidUtf8(bytes), rawBase64: bytes.toString('base64') };
  }
}

function seqLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

export function escapeInvalidUtf8(bytes: Buffer): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const n = seqLength(bytes[i]!);
    if (n > 0 && i + n <= bytes.length) {
      try {
        out += strict.decode(bytes.subarray(i, i + n));
        i += n;
        continue;
      } catch {
        // falls through: not a valid sequence
      }
    }
    out += `\\x${bytes[i]!.toString(16).padStart(2, '0')}`;
    i++;
  }
  return out;
}

/** Host path bytes → target path bytes (strips the offline root). */
export function toTargetBytes(host: Buffer, hostRoot: string): Buffer {
  if (hostRoot === '/') return host;
  const prefix = Buffer.from(hostRoot, 'utf8');
  if (host.length === prefix.length && host.equals(prefix)) return Buffer.from('/');
  if (host.length > prefix.length && host.subarray(0, prefix.length).equals(prefix) && host[prefix.length] === 0x2f)
    return host.subarray(prefix.length);
  return host;
}

export function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
