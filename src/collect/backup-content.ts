// Content sniffing for backup files: what the bytes are, never what the name says.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import type { ContentVerdict } from '../facts/backups.js';
import type { FsError, Target } from '../target/types.js';

export interface Sniff {
  verdict: ContentVerdict;
  format: string;
  detail: string | null;
}

const HEAD = 64 * 1024;
const READ_CHUNK = 256 * 1024;
const MAX_DEPTH = 3;

const AGE = Buffer.from('age-encryption.org/v1\n');
const AGE_ARMOR = '-----BEGIN AGE ENCRYPTED FILE-----';
const PGP_ARMOR = '-----BEGIN PGP MESSAGE-----';
const SALTED = Buffer.from('Salted__');
const PGDMP = Buffer.from('PGDMP');
const GZIP = Buffer.from([0x1f, 0x8b]);
const ZSTD = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
const XZ = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);
const BZIP2 = Buffer.from('BZh');
const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** Dump banners of the tools' plain-text output (pg_dump, pg_dumpall, mysqldump, mariadb-dump). */
const SQL_BANNERS: [RegExp, string][] = [
  [/^--\s*\n--\s*PostgreSQL database dump/m, 'PostgreSQL SQL dump (pg_dump plain format)'],
  [/^--\s*\n--\s*PostgreSQL database cluster dump/m, 'PostgreSQL SQL dump (pg_dumpall)'],
  [/^-- (MySQL|MariaDB) dump/m, 'MySQL/MariaDB SQL dump'],
];

const OPENPGP_TAGS: Record<number, string> = {
  1: 'public-key encrypted session key (PKESK)',
  3: 'symmetric-key encrypted session key (SKESK)',
  2: 'signature',
  4: 'one-pass signature',
  8: 'compressed data',
  11: 'literal data',
  18: 'encrypted data (SEIPD)',
};

/** The first OpenPGP packet (RFC 4880 §4.2 old and new formats), when the bytes look like one. */
export function openpgpFirstPacket(b: Buffer): { tag: number; version: number | null } | null {
  const h = b[0];
  if (h === undefined || (h & 0x80) === 0) return null;
  let tag: number;
  let body: number;
  if (h & 0x40) {
    tag = h & 0x3f;
    const l = b[1];
    if (l === undefined) return null;
    body = l < 192 ? 2 : l < 224 ? 3 : l === 255 ? 6 : 2;
  } else {
    tag = (h >> 2) & 0x0f;
    const lt = h & 3;
    body = lt === 0 ? 2 : lt === 1 ? 3 : lt === 2 ? 5 : 1;
  }
  const version = b[body] ?? null;
  // Version bytes the packets really carry: PKESK 3/6, SKESK 4/5/6, SEIPD 1/2.
  if (tag === 1 && version !== 3 && version !== 6) return null;
  if (tag === 3 && (version === null || version < 4 || version > 6)) return null;
  if (tag === 18 && version !== 1 && version !== 2) return null;
  // The unencrypted packets are checked as strictly, so random ciphertext is not called "plain"
  // (RFC 4880/9580: signature v3-6, one-pass signature v3/6, compression algorithm 0-3, literal
  // data format b/t/u/l/1/m).
  if (tag === 2 && (version === null || version < 3 || version > 6)) return null;
  if (tag === 4 && version !== 3 && version !== 6) return null;
  if (tag === 8 && (version === null || version > 3)) return null;
  if (tag === 11 && (version === null || !'btul1m'.includes(String.fromCharCode(version)))) return null;
  if (!(tag in OPENPGP_TAGS)) return null;
  return { tag, version };
}

function openpgpVerdict(first: { tag: number }, wrap: string): Sniff {
  const what = OPENPGP_TAGS[first.tag] ?? `packet ${first.tag}`;
  if (first.tag === 1 || first.tag === 3 || first.tag === 18) return { verdict: 'encrypted', format: `${wrap} (${what})`, detail: null };
  return { verdict: 'plain', format: `${wrap} (${what}): signed or compressed, not encrypted`, detail: null };
}

function dearmor(text: string): Buffer | null {
  const m = /-----BEGIN PGP MESSAGE-----\r?\n(?:[^\r\n]+: [^\r\n]*\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/.exec(text);
  if (!m) return null;
  return Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
}

function isText(b: Buffer): boolean {
  if (b.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b.subarray(0, Math.max(0, b.length - 4)));
    return true;
  } catch {
    return false;
  }
}

export type Peek = (kind: 'gzip' | 'zstd' | 'xz' | 'bzip2') => Promise<Buffer | null>;

/** Classifies bytes (the head of a file); `peek` decompresses the head of the whole stream. */
export async function classifyBytes(b: Buffer, peek: Peek | null, depth = 0): Promise<Sniff> {
  if (b.length === 0) return { verdict: 'unknown', format: 'empty', detail: 'an empty file holds no backup' };
  if (b.subarray(0, AGE.length).equals(AGE)) {
    const stanza = /^-> (\S+)/m.exec(b.subarray(0, 4096).toString('latin1'))?.[1] ?? '?';
    return { verdict: 'encrypted', format: `age (${stanza} recipient stanza)`, detail: null };
  }
  const headText = b.subarray(0, 4096).toString('latin1');
  if (headText.startsWith(AGE_ARMOR)) return { verdict: 'encrypted', format: 'age (ASCII armor)', detail: null };
  if (headText.trimStart().startsWith(PGP_ARMOR)) {
    const inner = dearmor(b.toString('latin1'));
    const first = inner ? openpgpFirstPacket(inner) : null;
    return first
      ? openpgpVerdict(first, 'OpenPGP ASCII armor')
      : { verdict: 'unknown', format: 'OpenPGP ASCII armor', detail: 'the armored body does not start with an OpenPGP packet' };
  }
  if (b.subarray(0, 8).equals(SALTED)) return { verdict: 'encrypted', format: 'openssl enc (Salted__ header)', detail: null };
  if (b.subarray(0, 5).equals(PGDMP))
    return {
      verdict: 'plain',
      format: `PostgreSQL custom-format dump (PGDMP, archive version ${b[5] ?? '?'}.${b[6] ?? '?'})`,
      detail: null,
    };
  if (b.length > 262 && b.subarray(257, 262).toString('latin1') === 'ustar')
    return { verdict: 'plain', format: 'tar archive (ustar)', detail: null };
  if (b.subarray(0, 4).equals(ZIP)) {
    const flags = b.readUInt16LE(6);
    return flags & 1
      ? { verdict: 'encrypted', format: 'zip (encrypted entries)', detail: 'zip encryption may be the weak ZipCrypto' }
      : { verdict: 'plain', format: 'zip archive', detail: null };
  }
  const compressed: ['gzip' | 'zstd' | 'xz' | 'bzip2', Buffer][] = [
    ['gzip', GZIP],
    ['zstd', ZSTD],
    ['xz', XZ],
    ['bzip2', BZIP2],
  ];
  for (const [kind, magic] of compressed) {
    if (!b.subarray(0, magic.length).equals(magic)) continue;
    if (kind === 'bzip2' && !/^BZh[1-9]1AY&SY/.test(b.subarray(0, 10).toString('latin1'))) continue;
    const inner = depth < MAX_DEPTH && peek ? await peek(kind) : null;
    if (inner === null)
      return {
        verdict: 'unknown',
        format: kind,
        detail: `${kind} stream, contents not inspected: a compressed stream is not encryption, but what it holds cannot be told`,
      };
    const s = await classifyBytes(inner, depth + 1 < MAX_DEPTH ? nestedPeek(inner) : null, depth + 1);
    return { ...s, format: `${kind} > ${s.format}` };
  }
  const first = openpgpFirstPacket(b);
  if (first) return openpgpVerdict(first, 'OpenPGP');
  if (isText(b.subarray(0, HEAD))) {
    const text = b.subarray(0, HEAD).toString('utf8');
    for (const [re, name] of SQL_BANNERS) if (re.test(text)) return { verdict: 'plain', format: name, detail: null };
    if (/^\s*(CREATE|INSERT|COPY|SET|BEGIN)\b/im.test(text)) return { verdict: 'plain', format: 'SQL text', detail: null };
    return { verdict: 'plain', format: 'text', detail: null };
  }
  return { verdict: 'unknown', format: 'binary data', detail: 'no known encrypted or dump format: cannot tell whether it is encrypted' };
}

/** For a stream inside a stream, only gzip can be peeked from memory. */
function nestedPeek(outer: Buffer): Peek {
  return (kind) => (kind === 'gzip' ? gunzipHead(outer) : Promise.resolve(null));
}

function gunzipHead(input: Buffer): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const z = createGunzip();
    const out: Buffer[] = [];
    let n = 0;
    const done = () => resolve(n > 0 ? Buffer.concat(out).subarray(0, HEAD) : null);
    z.on('data', (c: Buffer) => {
      out.push(c);
      n += c.length;
      if (n >= HEAD) {
        z.destroy();
        done();
      }
    });
    // A truncated head ends with "unexpected end of file": what was decoded is still good.
    z.on('error', done);
    z.on('end', done);
    z.end(input);
  });
}

/** Bytes of a target file from `offset` in READ_CHUNK ranges; ends at EOF or on a read error. */
async function* fileChunks(t: Target, path: string, chunk = READ_CHUNK): AsyncGenerator<Buffer, FsError | null> {
  let offset = 0;
  for (;;) {
    const r = await t.readRange(path, offset, chunk);
    if (!r.ok) return r;
    if (r.bytes.length === 0) return null;
    offset += r.bytes.length;
    yield r.bytes;
    if (r.bytes.length < chunk) return null;
  }
}

/**
 * The first bytes the decompressor (on this machine) gives for a target file fed on its stdin;
 * null when the tool is missing or gives nothing.
 */
function toolHead(tool: string, t: Target, path: string, timeoutMs: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    let settled = false;
    const out: Buffer[] = [];
    let n = 0;
    const child = spawn(tool, ['-dc'], { stdio: ['pipe', 'pipe', 'ignore'] });
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      resolve(n > 0 ? Buffer.concat(out).subarray(0, HEAD) : null);
    };
    const timer = setTimeout(finish, timeoutMs);
    child.on('error', finish);
    child.stdout.on('data', (c: Buffer) => {
      out.push(c);
      n += c.length;
      if (n >= HEAD) finish();
    });
    child.on('close', finish);
    // The tool may exit before reading all of its input (EPIPE): not an error here.
    child.stdin.on('error', () => undefined);
    void (async () => {
      for await (const c of fileChunks(t, path)) {
        if (settled) break;
        if (!child.stdin.write(c)) await new Promise<void>((r) => child.stdin.once('drain', r).once('close', r));
      }
      child.stdin.end();
    })();
  });
}

/** The first `bytes` bytes of a target file. */
export async function readHead(t: Target, path: string, bytes = HEAD): Promise<{ ok: true; bytes: Buffer } | FsError> {
  const r = await t.readRange(path, 0, bytes);
  return r.ok ? { ok: true, bytes: r.bytes } : r;
}

/** Classifies a regular file of the target by its content. */
export async function sniffFile(t: Target, path: string, timeoutMs = 10_000): Promise<Sniff> {
  const h = await readHead(t, path);
  if (!h.ok) return { verdict: 'unknown', format: 'unreadable', detail: h.message };
  const head = h.bytes;
  const peek: Peek = async (kind) => {
    if (kind === 'gzip') {
      const more = await readHead(t, path, 1024 * 1024);
      return gunzipHead(more.ok ? more.bytes : head);
    }
    return toolHead(kind === 'bzip2' ? 'bzip2' : kind, t, path, timeoutMs);
  };
  return classifyBytes(head, peek);
}

/** SHA-256 of a target file, read in ranges (backups are large). */
export async function sha256File(t: Target, path: string): Promise<{ ok: true; hex: string } | { ok: false; message: string }> {
  const h = createHash('sha256');
  const it = fileChunks(t, path, 1024 * 1024);
  for (;;) {
    const r = await it.next();
    if (r.done) return r.value === null ? { ok: true, hex: h.digest('hex') } : { ok: false, message: r.value.message };
    h.update(r.value);
  }
}
