export interface FstabEntry {
  spec: string;
  file: string;
  vfstype: string;
  options: string[];
  line: number;
}

export interface TableResult<T> {
  entries: T[];
  errors: { line: number; message: string }[];
}

/** fstab(5): whitespace-separated fields, \040-style octal escapes, # comments. */
export function parseFstab(text: string): TableResult<FstabEntry> {
  const entries: FstabEntry[] = [];
  const errors: TableResult<FstabEntry>['errors'] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) return;
    const f = s.split(/\s+/).map(unescapeOctal);
    if (f.length < 3) {
      errors.push({ line, message: `line ${line} has ${f.length} fields, fstab needs at least 3` });
      return;
    }
    entries.push({ spec: f[0]!, file: f[1]!, vfstype: f[2]!, options: (f[3] ?? 'defaults').split(','), line });
  });
  return { entries, errors };
}

function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export interface CrypttabEntry {
  /** The mapped name: the device appears as /dev/mapper/<target>. */
  target: string;
  source: string;
  keyFile: string;
  options: string[];
  /** luks unless plain/tcrypt/bitlk/open says otherwise (crypttab(5): Debian's default is plain without a LUKS header, but cryptdisks detects LUKS). */
  type: 'luks' | 'plain' | 'tcrypt' | 'bitlk' | 'other';
  line: number;
}

/** crypttab(5): target source keyfile options. */
export function parseCrypttab(text: string): TableResult<CrypttabEntry> {
  const entries: CrypttabEntry[] = [];
  const errors: TableResult<CrypttabEntry>['errors'] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const s = raw.trim();
    if (s === '' || s.startsWith('#')) return;
    const f = s.split(/\s+/).map(unescapeOctal);
    if (f.length < 2) {
      errors.push({ line, message: `line ${line} has ${f.length} field, crypttab needs at least 2` });
      return;
    }
    const options = (f[3] ?? '').split(',').filter(Boolean);
    const names = options.map((o) => o.split('=')[0]);
    const type = names.includes('plain') ? 'plain' : names.includes('tcrypt') ? 'tcrypt' : names.includes('bitlk') ? 'bitlk' : 'luks';
    entries.push({ target: f[0]!, source: f[1]!, keyFile: f[2] ?? 'none', options, type, line });
  });
  return { entries, errors };
}
