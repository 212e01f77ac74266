// Property-based fuzzing harness shared by the suite slice (test/fuzz/fuzz.test.ts) and `npm run fuzz`
// (test/fuzz/run.ts). A target is one parser: a generator of valid files with a round trip
// (parse → print → parse gives the same facts), and garbage (random bytes, mutated valid files, huge
// lines, NULs, invalid UTF-8). Properties: never throws (except the parser's declared error type),
// bounded time per input, every reported error carries a line inside the file.
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { writeFileSync } from 'node:fs';

/** FUZZ_TRACE=FILE: each input is written there before it is parsed (what an OOM or a hang was fed). */
const TRACE = process.env.FUZZ_TRACE;

export type Input = string | Buffer;

export interface FuzzTarget {
  name: string;
  /** The parser under test; gets text (or bytes for binary parsers). */
  parse(input: Input): unknown;
  /** A grammar-based generator of valid files. */
  valid: fc.Arbitrary<string>;
  /** Binary parsers get bytes (valid text encoded, garbage raw). */
  binary?: boolean;
  /** The facts compared by the round trip (default: the whole parse result). */
  facts?(parsed: unknown): unknown;
  /** Prints facts back as a file; with it, the round trip property runs. */
  print?(parsed: unknown): string;
  /** A thrown error of this kind is the parser's declared failure, not a crash. */
  declared?(e: unknown): boolean;
  /** Error entries ({ line }) are checked to lie inside the input (default on). */
  lineChecked?: boolean;
  /** Properties that hit a defect another helper fixes: named, not run. */
  knownDefects?: string[];
}

export interface FuzzStats {
  name: string;
  inputs: number;
  crashes: number;
  hangs: number;
  roundTripFailures: number;
  lineFailures: number;
  slowestMs: number;
  slowestInput: string;
  firstFailure: string | null;
}

export const HANG_MS = 1000;

const utf8 = fc.string({ unit: 'binary', maxLength: 200 });
const bytes = fc.uint8Array({ maxLength: 400 });
const invalidUtf8 = fc
  .array(fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xe0, 0xed, 0xf4, 0xf5, 0xfe, 0xff, 0x00, 0x0a, 0x23, 0x20), { maxLength: 60 })
  .map((a) => Buffer.from(a));

/** Garbage derived from the valid generator and from nothing. */
export function garbageOf(valid: fc.Arbitrary<string>): fc.Arbitrary<Input> {
  const mutated = fc
    .tuple(
      valid,
      fc.array(
        fc.tuple(
          fc.nat(),
          fc.nat({ max: 8 }),
          utf8.filter((s) => s.length < 12),
        ),
        { minLength: 1, maxLength: 6 },
      ),
    )
    .map(([text, edits]) => {
      let s = text;
      for (const [at, del, ins] of edits) {
        const i = s.length === 0 ? 0 : at % (s.length + 1);
        s = s.slice(0, i) + ins + s.slice(i + del);
      }
      return s;
    });
  const hugeLine = fc
    .tuple(fc.constantFrom('a', ' ', '#', '\\', '"', '{', '[', '=', '*', '\t', 'x '), fc.integer({ min: 10_000, max: 60_000 }), valid)
    .map(([unit, n, text]) => `${text}\n${unit.repeat(Math.ceil(n / unit.length))}\n${text}`);
  const withNul = fc.tuple(valid, fc.nat()).map(([t, at]) => {
    const i = t.length === 0 ? 0 : at % t.length;
    return `${t.slice(0, i)}\0${t.slice(i)}`;
  });
  const spliced = fc.tuple(valid, invalidUtf8, fc.nat()).map(([t, bad, at]) => {
    const b = Buffer.from(t);
    const i = b.length === 0 ? 0 : at % b.length;
    return Buffer.concat([b.subarray(0, i), bad, b.subarray(i)]);
  });
  const manyLines = fc
    .tuple(valid, fc.integer({ min: 500, max: 2000 }))
    .map(([t, n]) =>
      t.trim() === '' ? '\n'.repeat(n) : Array.from({ length: Math.ceil(n / Math.max(1, t.split('\n').length)) }, () => t).join('\n'),
    );
  return fc.oneof(
    { arbitrary: utf8, weight: 3 },
    { arbitrary: bytes.map((a) => Buffer.from(a)), weight: 3 },
    { arbitrary: mutated, weight: 6 },
    { arbitrary: withNul, weight: 2 },
    { arbitrary: spliced, weight: 2 },
    { arbitrary: invalidUtf8, weight: 1 },
    { arbitrary: hugeLine, weight: 1 },
    { arbitrary: manyLines, weight: 1 },
  );
}

function asInput(t: FuzzTarget, i: Input): Input {
  if (t.binary) return typeof i === 'string' ? Buffer.from(i, 'latin1') : i;
  return typeof i === 'string' ? i : i.toString('utf8');
}

/** Lines as the most generous reader counts them (Python's splitlines: fail2ban's ini reader). */
function lineCount(i: Input): number {
  const s = typeof i === 'string' ? i : i.toString('latin1');
  // eslint-disable-next-line no-control-regex
  return 1 + (s.match(/\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/g)?.length ?? 0);
}

/** Every `errors`/`issues` entry that is an object must carry a line number inside the file. */
export function badErrorLines(result: unknown, lines: number): string | null {
  const seen = new Set<unknown>();
  const walk = (v: unknown, depth: number): string | null => {
    if (v === null || typeof v !== 'object' || seen.has(v) || depth > 6) return null;
    seen.add(v);
    for (const [k, x] of Object.entries(v)) {
      if ((k === 'errors' || k === 'issues') && Array.isArray(x)) {
        for (const e of x) {
          if (e === null || typeof e !== 'object' || !('line' in e)) continue;
          const l = (e as { line: unknown }).line;
          if (l === null) continue; // a whole-file error says so with null
          if (typeof l !== 'number' || !Number.isInteger(l) || l < 1 || l > lines)
            return `${k} entry with line ${JSON.stringify(l)} (file has ${lines}): ${JSON.stringify(e).slice(0, 200)}`;
        }
      } else {
        const r = walk(x, depth + 1);
        if (r) return r;
      }
    }
    return null;
  };
  return walk(result, 0);
}

function show(i: Input): string {
  const s = typeof i === 'string' ? JSON.stringify(i) : `bytes:${i.toString('hex')}`;
  return s.length > 300 ? `${s.slice(0, 300)}… (${s.length} chars)` : s;
}

/** Runs `runs` inputs (half valid, half garbage) through one target; never throws. */
export function fuzzTarget(t: FuzzTarget, runs: number, seed: number, hangMs = HANG_MS): FuzzStats {
  const st: FuzzStats = {
    name: t.name,
    inputs: 0,
    crashes: 0,
    hangs: 0,
    roundTripFailures: 0,
    lineFailures: 0,
    slowestMs: 0,
    slowestInput: '',
    firstFailure: null,
  };
  const fail = (what: string, i: Input, e?: unknown) => {
    st.firstFailure ??= `${what}: ${e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 4).join(' | ') : typeof e === 'string' ? e : e === undefined ? '' : JSON.stringify(e)} on ${show(i)}`;
  };
  const once = (raw: Input, roundTrip: boolean) => {
    const input = asInput(t, raw);
    st.inputs++;
    if (TRACE) writeFileSync(TRACE, input);
    const t0 = performance.now();
    let parsed: unknown;
    try {
      parsed = t.parse(input);
    } catch (e) {
      const ms = performance.now() - t0;
      if (ms > st.slowestMs) [st.slowestMs, st.slowestInput] = [ms, show(input)];
      if (!t.declared?.(e)) {
        st.crashes++;
        fail('crash', input, e);
      } else if (ms > hangMs) {
        // a declared error is still a hang when it takes this long (the first 100,000 run missed these)
        st.hangs++;
        fail(`hang (${ms.toFixed(0)} ms, then a declared error)`, input);
      }
      return;
    }
    const ms = performance.now() - t0;
    if (ms > st.slowestMs) [st.slowestMs, st.slowestInput] = [ms, show(input)];
    if (ms > hangMs) {
      st.hangs++;
      fail(`hang (${ms.toFixed(0)} ms)`, input);
    }
    if (t.lineChecked !== false) {
      const bad = badErrorLines(parsed, lineCount(input));
      if (bad) {
        st.lineFailures++;
        fail('error without a line in the file', input, bad);
      }
    }
    if (roundTrip && t.print) {
      try {
        const facts = t.facts ? t.facts(parsed) : parsed;
        const again = t.parse(asInput(t, t.print(parsed)));
        const facts2 = t.facts ? t.facts(again) : again;
        if (!isDeepStrictEqual(facts, facts2)) {
          st.roundTripFailures++;
          fail('round trip differs', input, `${JSON.stringify(facts).slice(0, 300)} vs ${JSON.stringify(facts2).slice(0, 300)}`);
        }
      } catch (e) {
        st.roundTripFailures++;
        fail('round trip threw', input, e);
      }
    }
  };
  const half = Math.ceil(runs / 2);
  fc.assert(
    fc.property(t.valid, (v) => {
      once(v, true);
    }),
    { numRuns: half, seed, endOnFailure: false },
  );
  fc.assert(
    fc.property(garbageOf(t.valid), (g) => {
      once(g, false);
    }),
    { numRuns: runs - half, seed: seed + 1, endOnFailure: false },
  );
  return st;
}

// ---- small grammar helpers shared by the target files ----
export const ws = fc.constantFrom(' ', '\t', '  ', ' \t');
export const word = fc.stringMatching(/^[A-Za-z0-9_./:@%+-]{1,16}$/);
export const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/);
export const comment = fc.stringMatching(/^[ -~]{0,30}$/).map((s) => `# ${s}`);
export const blank = fc.constantFrom('', ' ', '\t', '   ');
/** Each case-variation of a keyword (KeyWord, keyword, KEYWORD…). */
export const caseOf = (k: string) =>
  fc
    .array(fc.boolean(), { minLength: k.length, maxLength: k.length })
    .map((flips) => [...k].map((c, i) => (flips[i] ? c.toUpperCase() : c.toLowerCase())).join(''));
/** A file of lines: the given line generator mixed with comments and blank lines. */
export const fileOf = (line: fc.Arbitrary<string>, maxLines = 25) =>
  fc
    .array(fc.oneof({ arbitrary: line, weight: 5 }, { arbitrary: comment, weight: 1 }, { arbitrary: blank, weight: 1 }), {
      maxLength: maxLines,
    })
    .map((ls) => ls.join('\n') + '\n');
