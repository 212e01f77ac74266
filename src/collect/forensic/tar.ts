import { createReadStream, constants, promises as fsp } from 'node:fs';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { join } from 'node:path';

/**
 * A gzip-compressed POSIX ustar archive (POSIX.1-1988 / pax "ustar" format) of regular files in one
 * directory, streamed (bounded memory). Names are short single components, so no long-name extension
 * is needed.
 */

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(0o600, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(Math.floor(mtime / 1000), 12), 136);
  h.write('        ', 148); // checksum placeholder: eight spaces
  h.write('0', 156); // regular file
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

async function* entries(dir: string, names: readonly string[]): AsyncGenerator<Buffer> {
  for (const name of names) {
    if (Buffer.byteLength(name) > 99) throw new Error(`tar: name too long: ${name}`);
    const st = await fsp.stat(join(dir, name));
    yield header(name, st.size, st.mtimeMs);
    let n = 0;
    for await (const chunk of createReadStream(join(dir, name))) {
      n += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
    if (n !== st.size) throw new Error(`tar: ${name} changed while archiving`);
    const pad = (512 - (n % 512)) % 512;
    if (pad) yield Buffer.alloc(pad);
  }
  yield Buffer.alloc(1024); // two zero blocks end the archive
}

/** Writes `archive` (a new file, 0600) with the named files of `dir`. */
export async function writeTarGz(dir: string, names: readonly string[], archive: string): Promise<void> {
  const fh = await fsp.open(archive, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  await pipeline(Readable.from(entries(dir, names)), createGzip(), fh.createWriteStream());
}
