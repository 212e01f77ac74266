/**
 * pwquality.conf(5) as libpwquality 1.4 reads it (settings.c read_config_file): `name = value` or
 * `name value`, `#` comments, lines over 1023 bytes make the file malformed, and an unknown
 * setting or a bad integer stops the reading of that file (and of every file after it).
 */
export interface PwqualityEntry {
  name: string;
  value: string;
  line: number;
}

export interface ParsedPwquality {
  entries: PwqualityEntry[];
  /** The first error; libpwquality stops reading there. */
  error: { line: number; message: string } | null;
}

export const PWQ_INT_SETTINGS = new Set([
  'difok',
  'minlen',
  'dcredit',
  'ucredit',
  'lcredit',
  'ocredit',
  'minclass',
  'maxrepeat',
  'maxclassrepeat',
  'maxsequence',
  'gecoscheck',
  'dictcheck',
  'usercheck',
  'usersubstr',
  'enforcing',
  'retry',
]);
export const PWQ_STR_SETTINGS = new Set(['badwords', 'dictpath']);
export const PWQ_SET_SETTINGS = new Set(['enforce_for_root', 'local_users_only']);

/** Validates one name/value as pwquality's set_name_value does; returns an error message or null. */
export function checkPwqualitySetting(name: string, value: string): string | null {
  const n = name.toLowerCase();
  if (PWQ_INT_SETTINGS.has(n)) return /^[+-]?\d{1,9}$/.test(value) ? null : `${name}: "${value}" is not an integer`;
  if (PWQ_STR_SETTINGS.has(n) || PWQ_SET_SETTINGS.has(n)) return null;
  return `unknown setting "${name}"`;
}

export function parsePwqualityConf(text: string): ParsedPwquality {
  const entries: PwqualityEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = i + 1;
    if (Buffer.byteLength(raw) > 1022)
      return { entries, error: { line, message: 'line longer than 1023 bytes: libpwquality rejects the file as malformed' } };
    const s = raw.replace(/#.*$/, '').trim();
    if (s === '') continue;
    const m = /^([^\s=]+)\s*(?:=\s*)?([\s\S]*)$/.exec(s)!;
    const name = m[1]!;
    const value = m[2]!.trim();
    const err = checkPwqualitySetting(name, value);
    if (err) return { entries, error: { line, message: err } };
    entries.push({ name: name.toLowerCase(), value, line });
  }
  return { entries, error: null };
}
