/**
 * Repository formats, from the tools' documentation:
 * - restic doc/design.rst "Repository Format": a `config` file (always encrypted), keys/, data/,
 *   index/, snapshots/; each key file is JSON with kdf, salt and the encrypted master key.
 * - borg docs/internals/data-structures.rst: README "This is a Borg Backup repository.", `config`
 *   INI [repository] (with `key =` in repokey mode), data/N/M segment files ("BORG_SEG" magic, then
 *   entries crc32, size, tag, 32-byte id, data; the data's first byte is the key type).
 * - kopia site/content/docs/Advanced/Encryption/_index.md: kopia.repository.f is JSON with
 *   "encryption" and "encryptedBlockFormat".
 */

/** borg 1.x crypto/key.py TYPE bytes. */
export const BORG_KEY_TYPES: Record<number, { mode: string; encrypted: boolean }> = {
  0x00: { mode: 'keyfile', encrypted: true },
  0x01: { mode: 'passphrase (legacy)', encrypted: true },
  0x02: { mode: 'none', encrypted: false },
  0x03: { mode: 'repokey', encrypted: true },
  0x04: { mode: 'keyfile-blake2', encrypted: true },
  0x05: { mode: 'repokey-blake2', encrypted: true },
  0x06: { mode: 'authenticated-blake2', encrypted: false },
  0x07: { mode: 'authenticated', encrypted: false },
};

export interface BorgConfig {
  isRepository: boolean;
  /** A `key =` entry in [repository]: repokey (or authenticated) mode. */
  hasKey: boolean;
  keyLine: number | null;
  repositoryLine: number | null;
}

export function parseBorgConfig(text: string): BorgConfig {
  let section: string | null = null;
  const out: BorgConfig = { isRepository: false, hasKey: false, keyLine: null, repositoryLine: null };
  for (const [i, raw] of text.split('\n').entries()) {
    const s = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (s) {
      section = s[1]!.trim();
      if (section === 'repository') {
        out.isRepository = true;
        out.repositoryLine = i + 1;
      }
      continue;
    }
    const kv = /^(\w+)\s*=\s*(.*)$/.exec(raw);
    if (section === 'repository' && kv?.[1] === 'key' && kv[2]!.trim() !== '') {
      out.hasKey = true;
      out.keyLine = i + 1;
    }
  }
  return out;
}

const BORG_SEG = Buffer.from('BORG_SEG');

/** The key type byte of the first PUT object in a borg segment file; null when there is none. */
export function borgSegmentKeyType(b: Buffer): number | null {
  if (!b.subarray(0, 8).equals(BORG_SEG)) return null;
  let off = 8;
  while (off + 9 <= b.length) {
    const size = b.readUInt32LE(off + 4);
    const tag = b[off + 8]!;
    if (size < 9) return null;
    if (tag === 0 || tag === 3) {
      const data = off + 9 + 32 + (tag === 3 ? 8 : 0);
      return b[data] ?? null;
    }
    off += size;
  }
  return null;
}

export interface KopiaFormat {
  encryption: string | null;
  error: string | null;
}

export function parseKopiaFormat(text: string): KopiaFormat {
  try {
    const j = JSON.parse(text) as unknown;
    if (typeof j !== 'object' || j === null) return { encryption: null, error: 'not a JSON object' };
    const e = (j as Record<string, unknown>).encryption;
    return { encryption: typeof e === 'string' ? e : null, error: null };
  } catch (e) {
    return { encryption: null, error: `not JSON: ${(e as Error).message}` };
  }
}
