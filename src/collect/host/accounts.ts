import type { Target } from '../../target/types.js';
import { parseGroup, parsePasswd, type GroupRecord, type ParsedTable, type PasswdRecord } from '../parse/passwd.js';
import { parseShadow, type ShadowRecord } from '../parse/shadow.js';
import type { ParseIssue } from '../parse/passwd.js';

/** The account tables are read whole up to this size (a directory of 100,000 users is ~10 MiB). */
const MAX_TABLE_BYTES = 32 * 1024 * 1024;

export type AccountTable<T> =
  | {
      ok: true;
      path: string;
      /** Decoded as UTF-8, invalid bytes replaced (the parser reports the lines it cannot read). */
      text: string;
      /** The file holds a NUL byte: a text read (Target.readText) refuses it. */
      binary: boolean;
      parsed: T;
    }
  | { ok: false; path: string; message: string; missing: boolean };

/** The account database of the target: /etc/passwd, /etc/group and /etc/shadow, each read and parsed once per run. */
export interface AccountDb {
  passwd: AccountTable<ParsedTable<PasswdRecord>>;
  group: AccountTable<ParsedTable<GroupRecord>>;
  shadow: AccountTable<{ records: ShadowRecord[]; issues: ParseIssue[] }>;
}

async function readTable<T>(t: Target, path: string, parse: (text: string) => T): Promise<AccountTable<T>> {
  const r = await t.readBytes(path, { binaryOk: true, maxBytes: MAX_TABLE_BYTES });
  if (!r.ok) return { ok: false, path, message: r.message, missing: r.error === 'missing' };
  const text = new TextDecoder('utf-8').decode(r.bytes);
  return { ok: true, path, text, binary: r.bytes.includes(0), parsed: parse(text) };
}

export async function readAccountDb(t: Target): Promise<AccountDb> {
  const [passwd, group, shadow] = await Promise.all([
    readTable(t, '/etc/passwd', parsePasswd),
    readTable(t, '/etc/group', parseGroup),
    readTable(t, '/etc/shadow', parseShadow),
  ]);
  return { passwd, group, shadow };
}

/** Records of a table as a text read sees them: none when the file cannot be read or holds a NUL. */
export function textRecords<R>(table: AccountTable<{ records: R[] }>): R[] {
  return table.ok && !table.binary ? table.parsed.records : [];
}
