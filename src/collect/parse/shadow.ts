import type { HashAlgorithm, PasswordAging, PasswordState } from '../../facts/accounts.js';
import type { ParseIssue } from './passwd.js';

export interface ShadowRecord {
  name: string;
  password: PasswordState;
  aging: PasswordAging;
  line: number;
}

/** The algorithm of a crypt(5) hash, from its prefix. */
export function hashAlgorithm(hash: string): HashAlgorithm {
  if (hash.startsWith('$y$')) return 'yescrypt';
  if (hash.startsWith('$gy$')) return 'gost-yescrypt';
  if (hash.startsWith('$7$')) return 'scrypt';
  if (hash.startsWith('$6$')) return 'sha512';
  if (hash.startsWith('$5$')) return 'sha256';
  if (/^\$2[abxy]\$/.test(hash)) return 'bcrypt';
  if (hash.startsWith('$1$')) return 'md5';
  if (hash.startsWith('$md5')) return 'sunmd5';
  // Traditional DES: 13 characters of [./0-9A-Za-z]; bigcrypt/BSDi variants also lack a $ prefix.
  if (/^[./0-9A-Za-z]{13,}$/.test(hash)) return 'des';
  return 'unknown';
}

/**
 * A password field's state. `!` prefix = locked (usermod -L; a hash may sit behind it), `*` or `!!`
 * or any other string that cannot be a crypt result = no password login possible.
 */
export function passwordState(field: string): PasswordState {
  if (field === '') return { kind: 'empty' };
  if (field.startsWith('!')) {
    const rest = field.replace(/^!+/, '');
    return {
      kind: 'locked',
      marker: field.startsWith('!!') ? '!!' : '!',
      algorithm: rest === '' || rest.startsWith('*') ? null : hashAlgorithm(rest),
    };
  }
  if (field.startsWith('*')) return { kind: 'locked', marker: '*', algorithm: null };
  const alg = hashAlgorithm(field);
  // A string that is no crypt result (e.g. "x", "LK", "NP") matches no password: it is locked.
  if (alg === 'unknown' && !field.startsWith('$'))
    return { kind: 'locked', marker: field.length <= 4 ? field : field.slice(0, 1), algorithm: null };
  return { kind: 'hashed', algorithm: alg };
}

function num(s: string | undefined): number | null {
  if (s === undefined || s.trim() === '') return null;
  return /^-?\d{1,10}$/.test(s.trim()) ? Number(s.trim()) : null;
}

export function parseShadow(text: string): { records: ShadowRecord[]; issues: ParseIssue[] } {
  const records: ShadowRecord[] = [];
  const issues: ParseIssue[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '' || raw.startsWith('+') || raw.startsWith('-')) return;
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000b-\u001f\u007f\ufffd]/.test(raw)) {
      issues.push({ line, message: 'line holds control or non-UTF-8 bytes (binary garbage?)' });
      return;
    }
    const f = raw.split(':');
    if (f.length < 8 || f.length > 9 || f[0] === '') {
      issues.push({ line, message: `expected 9 colon-separated fields, found ${f.length}` });
      return;
    }
    records.push({
      name: f[0]!,
      password: passwordState(f[1]!),
      aging: {
        lastChange: num(f[2]),
        minDays: num(f[3]),
        maxDays: num(f[4]),
        warnDays: num(f[5]),
        inactiveDays: num(f[6]),
        expireDate: num(f[7]),
      },
      line,
    });
  });
  return { records, issues };
}
