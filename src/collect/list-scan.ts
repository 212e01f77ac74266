import { closeSync, constants, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { MAX_LIST_BYTES, PackagesScanner, type ListEntry } from './parse/apt-lists.js';
import { Lz4FrameDecoder } from './parse/lz4-stream.js';

/**
 * Streams one apt list file (plain, gzip or lz4) through the stanza scanner: read in chunks,
 * decompressed as it comes (lz4 block by block, gzip through zlib's stream), so a 50 MB list never
 * sits in memory. Works on a host path (the caller resolved it inside the target) and touches nothing
 * else.
 */

export type ScanResult = { ok: true; entries: ListEntry[] } | { ok: false; message: string };

export interface ListScanJob {
  /** Where to read it (resolved inside the target). */
  hostPath: string;
  /** The target path, for messages. */
  path: string;
  kind: 'none' | 'gz' | 'lz4';
  /** Names of the packages whose stanzas are wanted. */
  wanted: readonly string[];
}

const READ_CHUNK = 256 * 1024;

export async function scanListFile(job: ListScanJob): Promise<ScanResult> {
  const { hostPath, path, kind } = job;
  let fd: number | undefined;
  try {
    // O_NONBLOCK: opening a FIFO must not hang the run.
    fd = openSync(hostPath, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    if (!st.isFile()) return { ok: false, message: `${JSON.stringify(path)} is not a regular file` };
    if (st.size > MAX_LIST_BYTES)
      return { ok: false, message: `${JSON.stringify(path)} is ${st.size} bytes, over the read limit of ${MAX_LIST_BYTES}` };
    const scanner = new PackagesScanner(new Set(job.wanted));
    if (kind === 'gz') {
      // The read stream owns the descriptor from here and closes it, on error too.
      const owned = fd;
      fd = undefined;
      return await gunzipInto(owned, path, scanner);
    }
    const dec = kind === 'lz4' ? new Lz4FrameDecoder((chunk) => scanner.push(chunk), MAX_LIST_BYTES) : null;
    const r = readChunks(fd, path, (chunk) => {
      if (dec) return dec.push(chunk);
      scanner.push(chunk);
      return null;
    });
    if (r) return r;
    const err = dec?.end() ?? null;
    return err === null ? { ok: true, entries: scanner.end() } : { ok: false, message: err };
  } catch (e) {
    return { ok: false, message: fsMessage(path, e) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads fd to EOF in chunks into use (one reused buffer); a message when the file or use fails. */
function readChunks(fd: number, path: string, use: (chunk: Buffer) => string | null): { ok: false; message: string } | null {
  const buf = Buffer.allocUnsafe(READ_CHUNK);
  let n = 0;
  for (;;) {
    const bytesRead = readSync(fd, buf, 0, buf.length, null);
    if (bytesRead === 0) return null;
    n += bytesRead;
    if (n > MAX_LIST_BYTES) return { ok: false, message: `${JSON.stringify(path)} grew over the read limit of ${MAX_LIST_BYTES} bytes` };
    const message = use(buf.subarray(0, bytesRead));
    if (message !== null) return { ok: false, message };
  }
}

/** A gzip list through zlib's stream (with back-pressure) into the scanner; the stream closes fd. */
async function gunzipInto(fd: number, path: string, scanner: PackagesScanner): Promise<ScanResult> {
  let out = 0;
  try {
    await pipeline(
      createReadStream('', { fd, highWaterMark: READ_CHUNK, autoClose: true, start: 0 }),
      createGunzip({ chunkSize: 64 * 1024 }),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) {
          out += chunk.length;
          if (out > MAX_LIST_BYTES) throw Object.assign(new Error(`decompressed size over ${MAX_LIST_BYTES} bytes`), { code: 'Z_LIMIT' });
          scanner.push(chunk);
        }
      },
    );
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message: typeof code === 'string' && code.startsWith('Z_') ? `gz data is corrupt: ${(e as Error).message}` : fsMessage(path, e),
    };
  }
  return { ok: true, entries: scanner.end() };
}

function fsMessage(path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  const what =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission denied'
        : code === 'ELOOP'
          ? 'has too many levels of symbolic links (a loop?)'
          : code === 'EISDIR'
            ? 'is not a regular file'
            : 'could not be read';
  return `${JSON.stringify(path)} ${what}`;
}
