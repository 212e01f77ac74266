/**
 * /var/log/lastlog: a sparse array indexed by UID of `struct lastlog { int32_t ll_time;
 * char ll_line[32]; char ll_host[256]; }` (292 bytes, <lastlog.h> on Linux x86-64 and others).
 */
export const LASTLOG_RECORD_SIZE = 292;

export interface LastlogRecord {
  /** Seconds since the epoch; 0 = never logged in. */
  time: number;
  line: string;
  host: string;
}

function cString(b: Buffer): string {
  const nul = b.indexOf(0);
  const s = b.subarray(0, nul < 0 ? b.length : nul).toString('utf8');
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f]/g, '?');
}

/** Decodes one record; a short buffer (past the end of the file) means never logged in. */
export function parseLastlogRecord(b: Buffer): LastlogRecord | null {
  if (b.length < LASTLOG_RECORD_SIZE) return null;
  const time = b.readInt32LE(0);
  if (time === 0) return null;
  return { time, line: cString(b.subarray(4, 36)), host: cString(b.subarray(36, 292)) };
}
