import { promises as fsp } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FORMATS, type Format } from '../report/index.js';
import { UsageError } from './errors.js';
import type { Io } from './io.js';
import { writeFileSafe } from '../util/safe-write.js';

export interface OutputSpec {
  format: Format;
  path: string | null;
}

export function parseFormats(spec: string | undefined, output: string | undefined): OutputSpec[] {
  const items = (spec ?? 'text')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const outs = items.map((item): OutputSpec => {
    const i = item.indexOf(':');
    const format = i === -1 ? item : item.slice(0, i);
    const path = i === -1 ? null : item.slice(i + 1);
    if (!(FORMATS as readonly string[]).includes(format))
      throw new UsageError(`--format: unknown format "${format}" (${FORMATS.join(', ')})`);
    if (path === '') throw new UsageError(`--format ${format}: empty path after ':'`);
    return { format: format as Format, path };
  });
  if (output !== undefined) {
    if (outs.length !== 1) throw new UsageError('--output names the path of a single format; with several, use --format F:PATH');
    outs[0]!.path = output;
  }
  if (outs.filter((o) => o.path === null).length > 1)
    throw new UsageError('--format: at most one format can go to standard output; give the others a path (F:PATH)');
  return outs;
}

/**
 * Writes a report file: a regular file (or a new one) atomically (a random temp file created
 * O_EXCL|O_NOFOLLOW, so a link planted at a temp name is never followed, then rename; mode 0600:
 * reports can hold sensitive evidence), through a symlink to the file it names (the link stays);
 * anything else that exists — /dev/null, /dev/stdout, a FIFO, a terminal — is written to in place,
 * never replaced (a rename onto /dev/null would put a regular file in its place).
 */
export async function writeOut(io: Io, path: string, text: string): Promise<void> {
  const given = resolve(io.cwd, path);
  try {
    const st = await fsp.stat(given).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    if (st?.isDirectory()) throw new Error('it is a directory');
    if (st && !st.isFile()) {
      await fsp.writeFile(given, text);
      return;
    }
    const file = st ? await fsp.realpath(given) : given;
    const parent = await fsp.stat(dirname(file)).catch(() => null);
    if (parent === null) throw new Error(`the directory ${dirname(file)} does not exist`);
    if (!parent.isDirectory()) throw new Error(`${dirname(file)} is not a directory`);
    writeFileSafe(file, text);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${(e as Error).message}`);
  }
}
