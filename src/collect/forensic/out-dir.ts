import { constants, createReadStream, promises as fsp } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';

/** The output directory cannot be used (exists and not empty, parent missing): a usage error. */
export class CollectionError extends Error {}

/**
 * The collection directory: every file the collector writes goes through here. Names are single path
 * components; files are created exclusively (O_EXCL, O_NOFOLLOW) with mode 0600 inside the directory's
 * real path, so nothing is ever written outside it or through a planted symlink.
 */
export class OutDir {
  private readonly files: string[] = [];
  private constructor(readonly path: string) {}

  /** Creates DIR (0700; its parent must exist) or takes an existing empty directory; refuses anything else. */
  static async create(dir: string): Promise<OutDir> {
    const abs = resolve(dir);
    const st = await fsp.lstat(abs).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return null;
      throw e;
    });
    if (st === null) {
      await fsp.mkdir(abs, { mode: 0o700 }).catch((e: NodeJS.ErrnoException) => {
        throw new CollectionError(
          e.code === 'ENOENT'
            ? `${dirname(abs)} does not exist (collect creates only the --out directory itself)`
            : `cannot create ${abs}: ${e.message}`,
        );
      });
    } else {
      if (st.isSymbolicLink() || !st.isDirectory()) throw new CollectionError(`${abs} exists and is not a directory`);
      if ((await fsp.readdir(abs)).length > 0)
        throw new CollectionError(`${abs} is not empty: collect never mixes its output with other files`);
    }
    await fsp.chmod(abs, 0o700);
    return new OutDir(await fsp.realpath(abs));
  }

  file(name: string): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new Error(`bad output file name ${JSON.stringify(name)}`);
    return join(this.path, name);
  }

  /** Opens a new file for writing (exclusive, no symlink following, 0600) and records it. */
  async open(name: string): Promise<fsp.FileHandle> {
    const fh = await fsp.open(this.file(name), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    this.files.push(name);
    return fh;
  }

  async write(name: string, data: string | Buffer): Promise<void> {
    const fh = await this.open(name);
    try {
      await fh.writeFile(data);
    } finally {
      await fh.close();
    }
  }

  written(): readonly string[] {
    return this.files;
  }
}

/** A buffered line writer over a file handle: memory stays bounded whatever the number of lines. */
export class LineWriter {
  private chunk: string[] = [];
  private size = 0;
  lines = 0;
  constructor(
    private readonly fh: fsp.FileHandle,
    private readonly flushAt = 64 * 1024,
  ) {}

  async line(s: string): Promise<void> {
    this.chunk.push(s, '\n');
    this.size += s.length + 1;
    this.lines++;
    if (this.size >= this.flushAt) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.chunk.length === 0) return;
    const data = this.chunk.join('');
    this.chunk = [];
    this.size = 0;
    await this.fh.write(data);
  }
}

export function sha256File(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('error', rej)
      .on('end', () => res(h.digest('hex')));
  });
}

/** Tabs, newlines and other control characters escaped, so one record stays one line. */
export function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\\]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
}
