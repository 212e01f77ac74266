import { constants, promises as fsp } from 'node:fs';

/** A file the user names (--config, --facts) cannot be read: the reason, in words. */
export class ReadRefused extends Error {}

const KIND = (st: {
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
  isDirectory(): boolean;
}) =>
  st.isFIFO()
    ? 'a FIFO'
    : st.isCharacterDevice() || st.isBlockDevice()
      ? 'a device'
      : st.isSocket()
        ? 'a socket'
        : st.isDirectory()
          ? 'a directory'
          : 'not a regular file';

/**
 * Reads a regular file the user named, without ever blocking on what is not one: opened O_NONBLOCK
 * (a FIFO with no writer would block a plain open forever), then fstat on the open descriptor (no
 * race with a swap of the name) and anything but a regular file is refused; the size is bounded.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<string> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new ReadRefused(err.code === 'ENOENT' ? 'no such file' : err.code === 'EACCES' ? 'permission denied' : err.message);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new ReadRefused(`it is ${KIND(st)}, not a regular file`);
    if (st.size > maxBytes) throw new ReadRefused(`it is ${st.size} bytes, more than the ${maxBytes} accepted`);
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < st.size) {
      const { bytesRead } = await fh.read(buf, got, st.size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got).toString('utf8');
  } finally {
    await fh.close();
  }
}
