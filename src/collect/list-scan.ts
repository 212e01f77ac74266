import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { MAX_LIST_BYTES, PackagesScanner, type ListEntry } from './parse/apt-lists.js';
import { Lz4FrameDecoder } from './parse/lz4-stream.js';
import type { Target } from '../target/types.js';

/**
 * Streams one apt list file (plain, gzip or lz4) through the stanza scanner: read in chunks,
 * decompressed as it comes (lz4 block by block, gzip through zlib's stream), so a 50 MB list never
 * sits in memory. Read in ranges through the target (an offline root stays inside its root).
 */

export type ScanResult = { ok: true; entries: ListEntry[] } | { ok: false; message: string };

export interface ListScanJob {
  /** The target path. */
  path: string;
  kind: 'none' | 'gz' | 'lz4';
  /** Names of the packages whose stanzas are wanted. */
  wanted: readonly string[];
}

const READ_CHUNK = 256 * 1024;

/** The file in READ_CHUNK ranges through the target; throws ListReadError when a read fails. */
async function* chunks(t: Target, path: string): AsyncGenerator<Buffer> {
  let offset = 0;
  for (;;) {
    const r = await t.readRange(path, offset, READ_CHUNK);
    if (!r.ok) throw new ListReadError(r.message);
    if (offset === 0 && r.size > MAX_LIST_BYTES)
      throw new ListReadError(`${JSON.stringify(path)} is ${r.size} bytes, over the read limit of ${MAX_LIST_BYTES}`);
    if (r.bytes.length === 0) return;
    offset += r.bytes.length;
    if (offset > MAX_LIST_BYTES) throw new ListReadError(`${JSON.stringify(path)} grew over the read limit of ${MAX_LIST_BYTES} bytes`);
    yield r.bytes;
    if (r.bytes.length < READ_CHUNK) return;
  }
}

class ListReadError extends Error {}

export async function scanListFile(t: Target, job: ListScanJob): Promise<ScanResult> {
  const { path, kind } = job;
  const scanner = new PackagesScanner(new Set(job.wanted));
  try {
    if (kind === 'gz') return await gunzipInto(chunks(t, path), scanner);
    const dec = kind === 'lz4' ? new Lz4FrameDecoder((chunk) => scanner.push(chunk), MAX_LIST_BYTES) : null;
    for await (const chunk of chunks(t, path)) {
      if (!dec) {
        scanner.push(chunk);
        continue;
      }
      const message = dec.push(chunk);
      if (message !== null) return { ok: false, message };
    }
    const err = dec?.end() ?? null;
    return err === null ? { ok: true, entries: scanner.end() } : { ok: false, message: err };
  } catch (e) {
    if (e instanceof ListReadError) return { ok: false, message: e.message };
    throw e;
  }
}

/** A gzip list through zlib's stream (with back-pressure) into the scanner. */
async function gunzipInto(source: AsyncGenerator<Buffer>, scanner: PackagesScanner): Promise<ScanResult> {
  let out = 0;
  try {
    await pipeline(Readable.from(source), createGunzip({ chunkSize: 64 * 1024 }), async (gunzipped: AsyncIterable<Buffer>) => {
      for await (const chunk of gunzipped) {
        out += chunk.length;
        if (out > MAX_LIST_BYTES) throw Object.assign(new Error(`decompressed size over ${MAX_LIST_BYTES} bytes`), { code: 'Z_LIMIT' });
        scanner.push(chunk);
      }
    });
  } catch (e) {
    if (e instanceof ListReadError) return { ok: false, message: e.message };
    const code = (e as NodeJS.ErrnoException).code;
    return {
      ok: false,
      message: typeof code === 'string' && code.startsWith('Z_') ? `gz data is corrupt: ${(e as Error).message}` : (e as Error).message,
    };
  }
  return { ok: true, entries: scanner.end() };
}
