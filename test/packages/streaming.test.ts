import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PackagesScanner, type ListEntry } from '../../src/collect/parse/apt-lists.js';
import { Lz4FrameDecoder } from '../../src/collect/parse/lz4-stream.js';
import { requireCommands } from '../helpers.js';
import { collectPackages, FIXTURES, fixtureRoot } from './fixture-root.js';

const LISTS = '/var/lib/apt/lists';
const MAIN = 'var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages';
const SEC = 'var/lib/apt/lists/deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages';

/**
 * Streams src through the decoder in chunks of the given sizes (cycled) and compares every decoded
 * byte with want as it comes, without collecting the output. Returns the decoded size.
 */
function streamDecode(src: Buffer, chunks: readonly number[], want: Buffer): number {
  let at = 0;
  let mismatch = -1;
  const d = new Lz4FrameDecoder((b) => {
    if (mismatch < 0 && !b.equals(want.subarray(at, at + b.length))) mismatch = at;
    at += b.length;
  });
  let i = 0;
  for (let off = 0; off < src.length; i++) {
    const n = chunks[i % chunks.length]!;
    const err = d.push(src.subarray(off, off + n));
    assert.equal(err, null, `at input ${off}`);
    off += n;
  }
  assert.equal(d.end(), null);
  assert.equal(mismatch, -1, `first differing output at ${mismatch}`);
  assert.equal(at, want.length);
  return at;
}

const lz4 = (args: string[], input: Buffer): Buffer => execFileSync('lz4', [...args, '-c'], { input, maxBuffer: 256 * 1024 * 1024 });
const lz4dc = (input: Buffer): Buffer => execFileSync('lz4', ['-dc'], { input, maxBuffer: 256 * 1024 * 1024 });

/** Packages-like text with repeats far apart (cross-block matches) and incompressible runs (raw blocks). */
function sampleText(stanzas: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < stanzas; i++) {
    parts.push(
      Buffer.from(
        `Package: pkg${i % 301}\nVersion: 1.${i}-${i % 7}\nArchitecture: ${i % 5 === 0 ? 'all' : 'amd64'}\nDescription: ${'words '.repeat(i % 40)}\n\n`,
      ),
    );
    if (i % 500 === 250)
      parts.push(Buffer.from(`Package: noise${i}\nVersion: 0\nArchitecture: amd64\nX-Blob: ${randomBytes(70_000).toString('base64')}\n\n`));
  }
  return Buffer.concat(parts);
}

test("streaming lz4 decoder = `lz4 -dc` on this machine's real list files (real lz4)", (t) => {
  if (!requireCommands(t, 'lz4')) return;
  let names: string[] = [];
  try {
    names = readdirSync(LISTS).filter((n) => n.endsWith('_Packages.lz4'));
  } catch {
    // no apt lists
  }
  if (names.length === 0) return t.skip(`no lz4 lists in ${LISTS}`);
  for (const name of names) {
    const src = readFileSync(join(LISTS, name));
    const want = lz4dc(src);
    // The collector's read size, and an odd one that splits headers, block sizes and blocks anywhere.
    for (const chunks of [[256 * 1024], [4093, 1, 65_537, 3]]) streamDecode(src, chunks, want);
    t.diagnostic(`${name}: ${src.length} → ${want.length} bytes, ${(src[4]! & 0x20) === 0 ? 'linked' : 'independent'} blocks`);
  }
});

test('streaming lz4 decoder: linked and independent blocks, checksums, frames = `lz4 -dc` (real lz4)', (t) => {
  if (!requireCommands(t, 'lz4')) return;
  // Random data repeated at a distance just under 64 KiB: matches that need the whole history window.
  const far = randomBytes(65_000);
  const text = Buffer.concat([sampleText(4000), far, far, sampleText(100)]);
  assert.ok(text.length > 1024 * 1024);
  // lz4 writes a frame that fits one block as independent: the 4 MiB case needs more than 4 MiB.
  const big = Buffer.concat([text, text, text, text]);
  assert.ok(big.length > 5 * 1024 * 1024);
  const cases: { name: string; args: string[]; linked: boolean; input?: Buffer }[] = [
    { name: 'linked 64 KiB blocks', args: ['-BD', '-B4'], linked: true },
    { name: 'linked 4 MiB blocks, high compression', args: ['-BD', '-9'], linked: true, input: big },
    { name: 'linked 256 KiB blocks, block checksums, content size', args: ['-BD', '-B5', '-BX', '--content-size'], linked: true },
    { name: 'independent 64 KiB blocks', args: ['-B4'], linked: false },
    { name: 'independent 1 MiB blocks, no content checksum', args: ['-B6', '--no-frame-crc'], linked: false },
  ];
  for (const c of cases) {
    const input = c.input ?? text;
    const packed = lz4(c.args, input);
    assert.equal((packed[4]! & 0x20) === 0, c.linked, `${c.name}: FLG block-independence bit`);
    const want = lz4dc(packed);
    assert.ok(want.equals(input), `${c.name}: lz4 round trip`);
    for (const chunks of [[packed.length], [1 << 20], [7, 4096 + 3, 1, 65_536]]) streamDecode(packed, chunks, want);
    if (c.linked) {
      // Proof the history window is exercised: read as independent blocks, the same frame breaks.
      const forced = Buffer.from(packed);
      forced[4] = forced[4]! | 0x20;
      const d = new Lz4FrameDecoder(() => undefined);
      assert.notEqual(d.push(forced) ?? d.end(), null, 'matches reach into earlier blocks');
    }
  }
  // Several frames, a skippable frame between them, an empty frame: one stream of output.
  const a = lz4(['-BD', '-B4'], text.subarray(0, 300_000));
  const b = lz4(['-B4', '-BX'], text.subarray(300_000));
  const empty = lz4([], Buffer.alloc(0));
  const skippable = Buffer.concat([Buffer.from([0x53, 0x2a, 0x4d, 0x18, 5, 0, 0, 0]), Buffer.from('hello')]);
  const multi = Buffer.concat([a, skippable, empty, b]);
  assert.ok(lz4dc(multi).equals(text));
  streamDecode(multi, [1, 2, 3, 5, 8, 13, 4096], text);
  // Incompressible data: stored (raw) blocks.
  const noise = randomBytes(200_000);
  streamDecode(lz4(['-BD', '-B4'], noise), [1000], noise);
});

test('streaming lz4 decoder: bad input gives an error value, at push or at end', (t) => {
  if (!requireCommands(t, 'lz4')) return;
  const text = sampleText(300);
  const packed = execFileSync('lz4', ['-BD', '-B4', '-c'], { input: text });
  const run = (src: Buffer): string | null => {
    const d = new Lz4FrameDecoder(() => undefined);
    for (let off = 0; off < src.length; off += 1000) {
      const e = d.push(src.subarray(off, off + 1000));
      if (e !== null) return e;
    }
    return d.end();
  };
  assert.equal(run(packed), null);
  assert.match(run(Buffer.from('not lz4 at all')) ?? '', /not an lz4 frame/);
  assert.match(run(packed.subarray(0, packed.length - 40)) ?? '', /truncated lz4 block/);
  assert.match(run(packed.subarray(0, 5)) ?? '', /truncated lz4 frame header/);
  assert.match(run(packed.subarray(0, 2)) ?? '', /truncated lz4 frame header/);
  const oversize = Buffer.from(packed);
  oversize.writeUInt32LE(0x7fffffff, 7); // first block size: far beyond the 64 KiB block maximum
  assert.match(run(oversize) ?? '', /corrupt lz4 block/);
  const garbled = Buffer.from(packed);
  for (let i = 11; i < 400; i++) garbled[i] = 0xff;
  assert.match(run(garbled) ?? '', /corrupt lz4 block/);
  const limited = new Lz4FrameDecoder(() => undefined, 1000);
  assert.match(limited.push(packed) ?? '', /decompressed size over 1000 bytes/);
});

/** The whole-buffer scan the collector used before streaming (the oracle). */
function scanWhole(buf: Buffer, wanted: ReadonlySet<string>): ListEntry[] {
  const out: ListEntry[] = [];
  const needle = Buffer.from('Package: ', 'latin1');
  let pos = buf.subarray(0, needle.length).equals(needle) ? 0 : buf.indexOf('\nPackage: ', 0, 'latin1');
  if (pos > 0) pos += 1;
  while (pos >= 0 && pos < buf.length) {
    const nameStart = pos + needle.length;
    const eol = buf.indexOf(10, nameStart);
    const name = buf.toString('latin1', nameStart, eol < 0 ? buf.length : eol).trim();
    const next = buf.indexOf('\n\nPackage: ', nameStart, 'latin1');
    if (wanted.has(name)) {
      const stanza = buf.toString('utf8', pos, next < 0 ? buf.length : next + 1);
      const version = /^Version:[ \t]*(\S+)/m.exec(stanza)?.[1];
      const arch = /^Architecture:[ \t]*(\S+)/m.exec(stanza)?.[1];
      if (version && arch) out.push({ name, version, arch });
    }
    pos = next < 0 ? -1 : next + 2;
  }
  return out;
}

function scanChunked(buf: Buffer, wanted: ReadonlySet<string>, chunks: readonly number[]): ListEntry[] {
  const s = new PackagesScanner(wanted);
  let i = 0;
  for (let off = 0; off < buf.length; i++) {
    const n = chunks[i % chunks.length]!;
    s.push(buf.subarray(off, off + n));
    off += n;
  }
  return s.end();
}

const TINY = [[1], [2], [3], [7], [11], [1, 9, 10, 11, 12]];

test('stanza scanner: stanzas split across chunk boundaries (tiny chunks) = whole-buffer scan', () => {
  const long = 'x'.repeat(150_000);
  const inputs: { name: string; text: string | Buffer; wanted: string[]; want?: ListEntry[] }[] = [
    {
      name: 'plain',
      text: 'Package: a\nVersion: 1\nArchitecture: amd64\n\nPackage: b\nArchitecture: all\nVersion: 2\nDescription: x\n Package: c\n\nPackage: c\nVersion: 3\nArchitecture: amd64\n',
      wanted: ['b', 'c'],
      want: [
        { name: 'b', version: '2', arch: 'all' },
        { name: 'c', version: '3', arch: 'amd64' },
      ],
    },
    {
      name: 'garbage first, then a stanza at a line start',
      text: 'junk\nmore junk\nPackage: a\nVersion: 1\nArchitecture: amd64\n',
      wanted: ['a'],
      want: [{ name: 'a', version: '1', arch: 'amd64' }],
    },
    {
      name: 'leading newline',
      text: '\nPackage: a\nVersion: 1\nArchitecture: amd64\n',
      wanted: ['a'],
      want: [{ name: 'a', version: '1', arch: 'amd64' }],
    },
    { name: 'prefix of the needle only', text: 'Pack', wanted: ['a'], want: [] },
    { name: 'empty', text: '', wanted: ['a'], want: [] },
    { name: 'binary', text: Buffer.from('\u0000\u0001garbage'), wanted: ['a'], want: [] },
    {
      name: 'no trailing newline; name padded with spaces',
      text: 'Package: a  \t\nArchitecture: all\nVersion: 9',
      wanted: ['a'],
      want: [{ name: 'a', version: '9', arch: 'all' }],
    },
    {
      name: 'extra blank lines, CRLF',
      text: 'Package: a\r\nVersion: 1\r\nArchitecture: amd64\r\n\n\n\nPackage: b\nVersion: 2\nArchitecture: amd64\n',
      wanted: ['a', 'b'],
    },
    {
      name: 'Package: line not after a blank line stays in its stanza',
      text: 'Package: a\nVersion: 1\nPackage: b\nArchitecture: amd64\n\nPackage: b\nVersion: 2\nArchitecture: amd64\n',
      wanted: ['a', 'b'],
    },
    {
      name: 'a wanted stanza longer than the scanner slice',
      text: `Package: a\nDescription: ${long}\nVersion: 1\nArchitecture: amd64\n\nPackage: b\nVersion: 2\nArchitecture: amd64\n`,
      wanted: ['a', 'b'],
    },
    {
      name: 'an unwanted stanza longer than the scanner slice',
      text: `Package: z\nDescription: ${long}\nVersion: 1\nArchitecture: amd64\n\nPackage: b\nVersion: 2\nArchitecture: amd64\n`,
      wanted: ['b'],
      want: [{ name: 'b', version: '2', arch: 'amd64' }],
    },
    {
      name: 'non-ASCII in a wanted stanza (utf8) and a latin1 name',
      text: Buffer.concat([
        Buffer.from('Package: a\nMaintainer: Jérôme\nVersion: 1\nArchitecture: amd64\n\nPackage: '),
        Buffer.from([0xe9]),
        Buffer.from('\nVersion: 2\nArchitecture: amd64\n'),
      ]),
      wanted: ['a', 'é', '字'],
    },
    {
      name: 'empty name, missing fields',
      text: 'Package: \nVersion: 1\nArchitecture: amd64\n\nPackage: a\nVersion: 1\n\nPackage: b\nArchitecture: amd64\n',
      wanted: ['', 'a', 'b'],
    },
  ];
  for (const c of inputs) {
    const buf = Buffer.isBuffer(c.text) ? c.text : Buffer.from(c.text);
    const wanted = new Set(c.wanted);
    const whole = scanWhole(buf, wanted);
    if (c.want) assert.deepEqual(whole, c.want, `${c.name}: oracle`);
    for (const chunks of [...TINY, [buf.length || 1], [65_536], [65_535, 2]])
      assert.deepEqual(scanChunked(buf, wanted, chunks), whole, `${c.name}, chunks ${chunks.join(',')}`);
  }
});

test('stanza scanner: generated lists in random chunkings = whole-buffer scan', () => {
  const text = sampleText(2500);
  const wanted = new Set(['pkg0', 'pkg7', 'pkg300', 'noise750', 'nothere']);
  const whole = scanWhole(text, wanted);
  assert.ok(whole.length > 20);
  for (let round = 0; round < 5; round++) {
    const chunks = Array.from({ length: 50 }, () => 1 + Math.floor(Math.random() * (round === 0 ? 16 : 200_000)));
    assert.deepEqual(scanChunked(text, wanted, chunks), whole, `chunks ${chunks.slice(0, 10).join(',')}…`);
  }
});

test("stanza scanner on this machine's real lists (lz4 -dc, decoder chunks) = whole-buffer scan (real lz4)", (t) => {
  if (!requireCommands(t, 'lz4')) return;
  let names: string[] = [];
  try {
    names = readdirSync(LISTS).filter((n) => n.endsWith('_Packages.lz4'));
  } catch {
    // no apt lists
  }
  if (names.length === 0) return t.skip(`no lz4 lists in ${LISTS}`);
  for (const name of names) {
    const src = readFileSync(join(LISTS, name));
    const text = lz4dc(src);
    const all = [...text.toString('latin1').matchAll(/^Package: (.*)$/gm)].map((m) => m[1]!.trim());
    const wanted = new Set(all.filter((_, i) => i % 3 === 0));
    const whole = scanWhole(text, wanted);
    const s = new PackagesScanner(wanted);
    const d = new Lz4FrameDecoder((b) => s.push(b));
    for (let off = 0; off < src.length; off += 100_003) assert.equal(d.push(src.subarray(off, off + 100_003)), null);
    assert.equal(d.end(), null);
    assert.deepEqual(s.end(), whole, name);
    assert.deepEqual(scanChunked(text, wanted, [4093, 17]), whole, name);
  }
});

test('collector: lz4, gzip and plain lists give the same candidates; bad data is reported', async (t) => {
  if (!requireCommands(t, 'lz4')) return;
  const mainText = readFileSync(join(FIXTURES, 'offline-root', MAIN));
  const secGz = readFileSync(join(FIXTURES, 'offline-root', `${SEC}.gz`));
  const secText = gunzipSync(secGz);
  const pendingOf = async (files: Record<string, string | Buffer | null>): Promise<string[]> => {
    const facts = await collectPackages(fixtureRoot(t, null, files));
    assert.deepEqual(
      facts.lists.files.map((f) => f.error),
      [null, null],
    );
    return (facts.updates.pending ?? []).map((p) => `${p.name} ${p.candidate} ${p.security}`);
  };
  const base = await pendingOf({});
  assert.deepEqual(
    base.filter((p) => p.endsWith(' true')),
    ['libexpat1 2.5.0-1+deb12u5 true', 'libgcrypt20 1.10.1-3+deb12u1 true'],
  );
  assert.deepEqual(
    await pendingOf({
      [MAIN]: null,
      [`${MAIN}.lz4`]: lz4(['-BD', '-B4'], mainText),
      [`${SEC}.gz`]: null,
      [`${SEC}.lz4`]: lz4(['-B4'], secText),
    }),
    base,
  );
  assert.deepEqual(await pendingOf({ [MAIN]: null, [`${MAIN}.gz`]: gzipSync(mainText), [`${SEC}.gz`]: null, [SEC]: secText }), base);

  const bad = await collectPackages(
    fixtureRoot(t, null, {
      [MAIN]: null,
      [`${MAIN}.lz4`]: lz4(['-B4'], mainText).subarray(0, 30),
      [`${SEC}.gz`]: Buffer.alloc(0),
    }),
  );
  assert.deepEqual(
    bad.lists.files.map((f) => f.error),
    ['gz data is corrupt: unexpected end of file', 'truncated lz4 block'],
  );
  assert.deepEqual(bad.updates.pending, []);
});

test("collector memory stays bounded while scanning this machine's lists", (t) => {
  let size = 0;
  try {
    for (const n of readdirSync(LISTS)) if (/_Packages/.test(n)) size += readFileSync(join(LISTS, n)).length;
  } catch {
    // no apt lists
  }
  if (size < 5 * 1024 * 1024) return t.skip('no large package lists on this machine');
  // A fresh process: peak RSS before and after one collection (the whole-buffer decode added ~88 MB).
  const script = `
    const { packagesCollector } = await import(${JSON.stringify(join(import.meta.dirname, '../../src/collect/packages.ts'))});
    const { FsTarget } = await import(${JSON.stringify(join(import.meta.dirname, '../../src/target/fs-target.ts'))});
    const { DEFAULT_CONFIG } = await import(${JSON.stringify(join(import.meta.dirname, '../../src/config/schema.ts'))});
    const before = process.resourceUsage().maxRSS;
    const f = await packagesCollector.collect({ target: new FsTarget({ name: 'live' }), config: DEFAULT_CONFIG, commandTimeoutMs: 15000 });
    console.log(JSON.stringify({ state: f.state, addedKb: process.resourceUsage().maxRSS - before }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: join(import.meta.dirname, '../..'),
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as { state: string; addedKb: number };
  t.diagnostic(`lists ${Math.round(size / 1024)} KiB on disk; collector added ${Math.round(out.addedKb / 1024)} MB of peak RSS`);
  if (out.state !== 'collected') return t.skip(`packages fact ${out.state}`);
  assert.ok(out.addedKb < 50 * 1024, `collector added ${out.addedKb} KiB of peak RSS`);
});
