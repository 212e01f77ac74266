/**
 * Streaming LZ4 frame decoder (lz4_Frame_format.md v1.6.x). apt keeps its lists lz4-compressed when
 * Acquire::GzipIndexes is set (Docker images, debuerreotype) and Node has no lz4, so this is the whole
 * decoder: frames (and skippable frames), blocks (linked or independent), checksums skipped.
 *
 * Memory stays bounded by the frame's block size, whatever the file size: compressed input is
 * gathered one block at a time, and each block is decoded into a window that keeps only the 64 KiB
 * of earlier output a linked block may refer to. Decoded data is handed to the sink block by block.
 * Bad input gives an error message as a value, never an exception.
 */

/** Largest back-reference of an LZ4 match: the history a linked block may reach into. */
const HISTORY = 64 * 1024;

const BLOCK_MAX = [0, 0, 0, 0, 64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024];

const MAGIC = 0x184d2204;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE = 0x184d2a50;

/**
 * One LZ4 block src[ip..end) into out[op..limit); returns the new op, or -1 when the block is corrupt
 * or would write past limit. Matches may reach back to out[0] (the history of linked blocks).
 * Hot loop: plain typed-array indexing, no closures.
 */
export function decodeLz4Block(src: Uint8Array, ip: number, end: number, out: Uint8Array, op: number, limit: number): number {
  while (ip < end) {
    const token = src[ip++]!;
    let lit = token >>> 4;
    if (lit === 15) {
      let b = 255;
      while (b === 255 && ip < end) {
        b = src[ip++]!;
        lit += b;
      }
    }
    if (ip + lit > end || op + lit > limit) return -1;
    // Long literal runs are copied through a view (one allocation), short ones byte by byte.
    if (lit > 64) out.set(new Uint8Array(src.buffer, src.byteOffset + ip, lit), op);
    else for (let k = 0; k < lit; k++) out[op + k] = src[ip + k]!;
    op += lit;
    ip += lit;
    if (ip >= end) break;
    if (ip + 2 > end) return -1;
    const offset = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    let len = token & 15;
    if (len === 15) {
      let b = 255;
      while (b === 255 && ip < end) {
        b = src[ip++]!;
        len += b;
      }
    }
    len += 4;
    if (offset === 0 || offset > op || op + len > limit) return -1;
    let from = op - offset;
    if (offset >= len && len > 16) {
      out.copyWithin(op, from, from + len);
      op += len;
    } else for (let k = 0; k < len; k++) out[op++] = out[from++]!;
  }
  return op;
}

type State =
  | { at: 'magic' }
  | { at: 'skip'; left: number }
  | { at: 'skip-size' }
  | { at: 'flags' }
  | { at: 'header-rest'; size: number }
  | { at: 'block-size' }
  | { at: 'block'; size: number; raw: boolean }
  | { at: 'content-checksum' }
  | { at: 'failed' };

/** Receives decoded bytes; the view is only valid during the call (its memory is reused). */
export type Lz4Sink = (chunk: Buffer) => void;

export class Lz4FrameDecoder {
  private state: State = { at: 'magic' };
  /** Input of the current step, and the read position in it. */
  private chunk: Uint8Array = new Uint8Array(0);
  private cp = 0;
  /** Bytes of a step that straddled input chunks, gathered until complete. */
  private gather: Uint8Array = new Uint8Array(0);
  private gathered = 0;
  /** Output window: [0, hist) is the history of linked blocks, a block is decoded after it. */
  private win: Uint8Array = new Uint8Array(0);
  private hist = 0;
  private blockMax = 0;
  private linked = false;
  private blockChecksum = false;
  private contentChecksum = false;
  private total = 0;
  private error: string | null = null;

  constructor(
    private readonly sink: Lz4Sink,
    private readonly maxOut = Number.MAX_SAFE_INTEGER,
  ) {}

  /** Bytes decoded so far. */
  get outputBytes(): number {
    return this.total;
  }

  /** Feeds compressed bytes (any split); returns an error message once the data is found bad, else null. */
  push(data: Uint8Array): string | null {
    if (this.error !== null) return this.error;
    // A plain Uint8Array view keeps the hot decoder loop monomorphic (Buffers are a subclass).
    this.chunk = data.constructor === Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.cp = 0;
    while (this.cp < this.chunk.length && this.error === null) this.step();
    this.chunk = new Uint8Array(0);
    return this.error;
  }

  /** The input is complete: an error message when it stopped inside a frame, else null. */
  end(): string | null {
    if (this.error !== null) return this.error;
    switch (this.state.at) {
      case 'magic':
        return this.gathered === 0 ? null : this.fail('truncated lz4 frame header');
      case 'skip-size':
        return this.fail('truncated lz4 skippable frame');
      case 'flags':
      case 'header-rest':
        return this.fail('truncated lz4 frame header');
      case 'block-size':
      case 'block':
        return this.fail('truncated lz4 block');
      default:
        // A skippable frame's payload or the content checksum cut short: nothing to decode was lost.
        return null;
    }
  }

  private fail(message: string): string {
    this.error = message;
    this.state = { at: 'failed' };
    return message;
  }

  /**
   * n bytes of input as one view: straight from the chunk when it holds them all, else gathered
   * across chunks. null: not there yet (what there was is consumed; call again with the same n).
   */
  private take(n: number): Uint8Array | null {
    const avail = this.chunk.length - this.cp;
    if (this.gathered === 0 && avail >= n) {
      const v = this.chunk.subarray(this.cp, this.cp + n);
      this.cp += n;
      return v;
    }
    if (this.gather.length < n) {
      const bigger = new Uint8Array(Math.max(n, 16));
      bigger.set(this.gather.subarray(0, this.gathered));
      this.gather = bigger;
    }
    const k = Math.min(n - this.gathered, avail);
    this.gather.set(this.chunk.subarray(this.cp, this.cp + k), this.gathered);
    this.gathered += k;
    this.cp += k;
    if (this.gathered < n) return null;
    this.gathered = 0;
    return this.gather.subarray(0, n);
  }

  private step(): void {
    const s = this.state;
    switch (s.at) {
      case 'magic': {
        const v = this.take(4);
        if (!v) return;
        const magic = u32(v, 0);
        if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE) this.state = { at: 'skip-size' };
        else if (magic === MAGIC) this.state = { at: 'flags' };
        else this.fail(`not an lz4 frame (magic 0x${magic.toString(16)})`);
        return;
      }
      case 'skip-size': {
        const v = this.take(4);
        if (v) this.state = { at: 'skip', left: u32(v, 0) };
        return;
      }
      case 'skip': {
        const k = Math.min(s.left, this.chunk.length - this.cp);
        this.cp += k;
        s.left -= k;
        if (s.left === 0) this.state = { at: 'magic' };
        return;
      }
      case 'flags': {
        const v = this.take(2);
        if (!v) return;
        const flg = v[0]!;
        const bd = v[1]!;
        if (flg >> 6 !== 1) {
          this.fail('unsupported lz4 frame version');
          return;
        }
        const blockMax = BLOCK_MAX[(bd >> 4) & 7] ?? 0;
        if (blockMax === 0) {
          this.fail('invalid lz4 block size');
          return;
        }
        this.linked = (flg & 0x20) === 0;
        this.blockChecksum = (flg & 0x10) !== 0;
        this.contentChecksum = (flg & 0x04) !== 0;
        this.blockMax = blockMax;
        const need = this.linked ? HISTORY + blockMax : blockMax;
        if (this.win.length < need) this.win = new Uint8Array(need);
        this.hist = 0;
        // Content size (8), dictionary id (4), header checksum (1): skipped.
        this.state = { at: 'header-rest', size: ((flg & 0x08) !== 0 ? 8 : 0) + ((flg & 0x01) !== 0 ? 4 : 0) + 1 };
        return;
      }
      case 'header-rest':
        if (this.take(s.size)) this.state = { at: 'block-size' };
        return;
      case 'block-size': {
        const v = this.take(4);
        if (!v) return;
        const word = u32(v, 0);
        if (word === 0) {
          this.state = this.contentChecksum ? { at: 'content-checksum' } : { at: 'magic' };
          return;
        }
        const size = word & 0x7fffffff;
        const raw = (word & 0x80000000) !== 0;
        // A valid encoder stores a block uncompressed rather than let it grow past the block size.
        if (size > this.blockMax) {
          this.fail(raw ? 'corrupt lz4 block (size)' : 'corrupt lz4 block');
          return;
        }
        this.state = { at: 'block', size, raw };
        return;
      }
      case 'block': {
        const v = this.take(s.size + (this.blockChecksum ? 4 : 0));
        if (!v) return;
        this.decodeBlock(v, s.size, s.raw);
        if (this.error === null) this.state = { at: 'block-size' };
        return;
      }
      case 'content-checksum':
        if (this.take(4)) this.state = { at: 'magic' };
        return;
      case 'failed':
        this.cp = this.chunk.length;
        return;
    }
  }

  private decodeBlock(src: Uint8Array, size: number, raw: boolean): void {
    const start = this.linked ? this.hist : 0;
    let op: number;
    if (raw) {
      this.win.set(src.subarray(0, size), start);
      op = start + size;
    } else {
      op = decodeLz4Block(src, 0, size, this.win, start, start + this.blockMax);
      if (op < 0) {
        this.fail('corrupt lz4 block');
        return;
      }
    }
    this.total += op - start;
    if (this.total > this.maxOut) {
      this.fail(`decompressed size over ${this.maxOut} bytes`);
      return;
    }
    if (op > start) this.sink(Buffer.from(this.win.buffer, this.win.byteOffset + start, op - start));
    if (this.linked) {
      // Keep the last 64 KiB of output (earlier blocks' included) at the front of the window.
      const keep = Math.min(HISTORY, op);
      this.win.copyWithin(0, op - keep, op);
      this.hist = keep;
    }
  }
}

function u32(v: Uint8Array, i: number): number {
  return (v[i]! | (v[i + 1]! << 8) | (v[i + 2]! << 16) | (v[i + 3]! << 24)) >>> 0;
}

/** A whole frame (or frames) in memory, decoded at once; for small inputs and tests. */
export function decodeLz4Buffer(
  src: Uint8Array,
  maxOut = Number.MAX_SAFE_INTEGER,
): { ok: true; bytes: Buffer } | { ok: false; message: string } {
  const parts: Buffer[] = [];
  const d = new Lz4FrameDecoder((b) => parts.push(Buffer.from(b)), maxOut);
  const err = d.push(src) ?? d.end();
  return err === null ? { ok: true, bytes: Buffer.concat(parts) } : { ok: false, message: err };
}
