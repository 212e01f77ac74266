// The one-trip payload: a POSIX sh script, sent as `ssh HOST sh -s` on stdin, that answers a list of
// requests (read a file up to N bytes, stat, lstat, list a directory, glob, run an argv with a timeout)
// and streams one length-framed record per request on stdout. Nothing is installed; the only thing the
// script writes is a private temp dir for command output (mktemp -d, removed by an EXIT/HUP/INT/TERM
// trap), and only when a request runs a command. Every argument is single-quoted data.
//
// A record:   RMP1 <nonce> <id> <op> <len>\n  <len bytes>  \nRMP1 <nonce> end <id> <status...>\n
// The stream: RMP1 <nonce> begin\n  records in request order  RMP1 <nonce> done <count>\n
// The body length is measured first and the body then padded or cut to exactly that length, so a file
// that changes while it is read cannot desynchronise the stream; the trailer says `changed` instead.
//
// On a host with GNU stat, find and tar (probed once per session), a wave's stat/lstat/list/read requests
// cost O(1) processes, not one or more each: bulk records come first,
//   RMP1 <nonce> bulk <kind> <len>\n  <len bytes>  \nRMP1 <nonce> end bulk <kind> <rc>\n
// (src/fleet/payload-bulk.ts parses them), then each such request's record is empty with the status
// `bulk`: its answer is in a bulk record, and what the bulk records lack (an entry that vanished between
// the shell's test and the bulk command) is an io error of that request only.
import { randomBytes } from 'node:crypto';
import type { DirEntry, FileType, FsErrorKind, StatInfo } from '../target/types.js';
import {
  BULK_KINDS,
  BulkError,
  pseudoFile,
  bulkLimit,
  hostKey,
  parseListings,
  parseSizes,
  parseStats,
  parseTar,
  planBulk,
  statOfFields,
  readKey,
  type BulkKind,
  type BulkPlan,
  type TarMember,
} from './payload-bulk.js';

export type PayloadRequest =
  | { op: 'read'; path: string; maxBytes: number }
  | { op: 'stat'; path: string }
  | { op: 'lstat'; path: string }
  | { op: 'list'; path: string }
  | { op: 'glob'; pattern: string }
  | { op: 'run'; argv: string[]; timeoutSec: number; maxBytes: number };

export interface Payload {
  script: string;
  nonce: string;
  requests: PayloadRequest[];
}

/** POSIX sh single quoting: the value is data, whatever it holds (`x;touch /tmp/pwned`, `$(…)`, newlines). */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

// The script's functions. $N is the nonce; each function writes exactly one record.
const PRELUDE = String.raw`
LC_ALL=C; export LC_ALL
PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"; export PATH
umask 077
cd / || exit 97
T=
cleanup() { if [ -n "$T" ]; then rm -rf -- "$T"; fi; }
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
tmpdir() { if [ -z "$T" ]; then T=$(mktemp -d 2>/dev/null) || T=; fi; [ -n "$T" ]; }
hdr() { printf 'RMP1 %s %s %s %s\n' "$N" "$1" "$2" "$3"; }
end() { printf '\nRMP1 %s end %s %s\n' "$N" "$1" "$2"; }
empty() { hdr "$1" "$2" 0; end "$1" "err $3"; }
# pad N: copies stdin, cut or zero-padded to exactly N bytes.
pad() { { cat; cat /dev/zero 2>/dev/null; } | head -c "$1"; }
fsize() { stat -L -c %s -- "$1" 2>/dev/null || { wc -c < "$1" 2>/dev/null | tr -d ' '; }; }
r_read() {
  if [ ! -e "$2" ]; then if [ -L "$2" ]; then empty "$1" read dangling; else empty "$1" read missing; fi; return; fi
  if [ -d "$2" ]; then empty "$1" read not-file; return; fi
  if [ ! -f "$2" ]; then empty "$1" read not-file; return; fi
  if [ ! -r "$2" ]; then empty "$1" read denied; return; fi
  s=$(fsize "$2")
  case "$s" in ''|*[!0-9]*) empty "$1" read io; return;; esac
  # procfs and sysfs report size 0: their length is what a read to EOF (bounded) gives.
  z=; if [ "$s" = 0 ]; then z=1; s=$(head -c "$(($3 + 1))" < "$2" 2>/dev/null | wc -c | tr -d ' '); fi
  n=$s; if [ "$n" -gt "$3" ]; then n=$3; fi
  hdr "$1" read "$n"
  head -c "$n" < "$2" 2>/dev/null | pad "$n"
  if [ -n "$z" ]; then s2=$s; else s2=$(fsize "$2"); fi
  if [ "$s2" = "$s" ]; then end "$1" "ok $s"; else end "$1" "changed $s"; fi
}
statline() { stat $1 -c '%f %u %g %s %Y %d %i' -- "$2" 2>/dev/null; }
r_stat() {
  if [ "$4" = stat ] && [ -L "$2" ] && [ ! -e "$2" ]; then empty "$1" "$4" dangling; return; fi
  o=$(statline "$3" "$2")
  if [ -z "$o" ]; then
    if [ -e "$2" ] || [ -L "$2" ]; then
      if command -v stat >/dev/null 2>&1; then empty "$1" "$4" denied; else empty "$1" "$4" unsupported; fi
    else empty "$1" "$4" missing; fi
    return
  fi
  # The stat line is ASCII: its length in characters is its length in bytes (no wc, no fork).
  hdr "$1" "$4" "${'$'}{#o}"; printf '%s' "$o"; end "$1" ok
}
etype() { if [ -L "$1" ]; then t=l; elif [ -d "$1" ]; then t=d; elif [ -f "$1" ]; then t=f; elif [ -b "$1" ]; then t=b; elif [ -c "$1" ]; then t=c; elif [ -p "$1" ]; then t=p; elif [ -S "$1" ]; then t=s; else t=o; fi; }
entries() {
  for e in "$1"/* "$1"/.[!.]* "$1"/..?*; do
    if [ -e "$e" ] || [ -L "$e" ]; then etype "$e"; printf '%s %s\000' "$t" "${'$'}{e##*/}"; fi
  done
}
r_list() {
  if [ ! -e "$2" ] && [ ! -L "$2" ]; then empty "$1" list missing; return; fi
  if [ ! -d "$2" ]; then empty "$1" list not-dir; return; fi
  if [ ! -r "$2" ] || [ ! -x "$2" ]; then empty "$1" list denied; return; fi
  d=$2; case "$d" in */) d=${'$'}{d%/};; esac
  # Listed once into the temp dir when there is one: a directory that changes while it is read
  # (/proc: the payload's own processes come and go) still gives one consistent listing.
  if tmpdir; then
    entries "$d" > "$T/l"; n=$(wc -c < "$T/l" | tr -d ' ')
    hdr "$1" list "$n"; pad "$n" < "$T/l"; rm -f -- "$T/l"; end "$1" ok; return
  fi
  n=$(entries "$d" | wc -c | tr -d ' ')
  hdr "$1" list "$n"; entries "$d" | pad "$n"
  n2=$(entries "$d" | wc -c | tr -d ' ')
  if [ "$n2" = "$n" ]; then end "$1" ok; else end "$1" changed; fi
}
matches() { for g in $1; do if [ -e "$g" ] || [ -L "$g" ]; then printf '%s\000' "$g"; fi; done; }
r_glob() {
  n=$(matches "$2" | wc -c | tr -d ' ')
  hdr "$1" glob "$n"; matches "$2" | pad "$n"
  end "$1" ok
}
r_run() {
  id=$1; t=$2; max=$3; shift 3
  if ! tmpdir; then empty "$id" run no-tmp; empty "$id" stderr no-tmp; return; fi
  if ! command -v "$1" >/dev/null 2>&1; then empty "$id" run not-found; empty "$id" stderr not-found; return; fi
  blocks=$(( (max + 511) / 512 + 1 ))
  if command -v timeout >/dev/null 2>&1; then
    ( ulimit -f "$blocks" 2>/dev/null; exec timeout -s KILL "$t" "$@" ) > "$T/o" 2> "$T/e" < /dev/null; rc=$?
  else
    ( ulimit -f "$blocks" 2>/dev/null; exec "$@" ) > "$T/o" 2> "$T/e" < /dev/null; rc=$?
  fi
  for f in o e; do
    if [ $f = o ]; then op=run; else op=stderr; fi
    # The output is in our own file, complete (the command ended): its first n bytes are there, no padding.
    s=$(wc -c < "$T/$f"); s=${'$'}{s##*[!0-9]}
    case "$s" in ''|*[!0-9]*) empty "$id" $op io; continue;; esac
    n=$s; if [ "$n" -gt "$max" ]; then n=$max; fi
    hdr "$id" $op "$n"; if [ "$n" != 0 ]; then head -c "$n" < "$T/$f"; fi; end "$id" "rc $rc $s"
  done
  rm -f -- "$T/o" "$T/e"
}
# ---- the batched wave (GNU stat, find and tar): pass 1 sorts the requests into lists ($B.*) with test(1)
# builtins only, the b_* functions answer each list with one command and one bulk record, pass 2 gives
# each request its record: an error found by the builtins, or "bulk" (its answer is in a bulk record).
G=
probe() {
  stat --printf '' / && find / -maxdepth 0 -printf '' && printf '/\000' | find -H -files0-from - -maxdepth 0 -printf '' &&
  tar -c -f /dev/null -P --no-recursion -h --hard-dereference --numeric-owner --format=gnu --null --verbatim-files-from -T /dev/null &&
  printf '' | xargs -0 -r true
}
if probe > /dev/null 2>&1 < /dev/null; then G=1; fi
W=0
F=
B=
Z=
a_S() { if [ -e "$1" ]; then printf '%s\000' "$1" >> "$B.S"; fi; }
a_L() { if [ -e "$1" ] || [ -L "$1" ]; then printf '%s\000' "$1" >> "$B.L"; fi; }
a_D() { if [ -d "$1" ] && [ -r "$1" ] && [ -x "$1" ]; then printf '%s\000' "$1" >> "$B.D"; fi; }
# a_R ID MAX PATH: a file with a size goes in the tar list of its bound; a size-0 one (procfs, sysfs, or
# empty) is copied, bounded, into $B.z.ID (one head per such file: its size is what a read gives).
a_R() {
  if [ -f "$3" ] && [ -r "$3" ]; then
    if [ -s "$3" ]; then printf '%s\000' "$3" >> "$B.R$2"; else a_C "$@"; fi
  fi
}
# a_C ID MAX PATH: always the bounded copy (/proc and /sys: sysfs says 4096 bytes for a 6-byte file).
a_C() {
  if [ -f "$3" ] && [ -r "$3" ]; then
    if head -c "$(($2 + 1))" 2>/dev/null < "$3" > "$B.z.$1"; then Z=1; else rm -f -- "$B.z.$1"; fi
  fi
}
# brec KIND FILE RC: one bulk record holding FILE (nothing if there is none).
brec() {
  n=0; if [ -f "$2" ]; then n=$(wc -c < "$2"); n=${'$'}{n##*[!0-9]}; fi
  hdr bulk "$1" "$n"; if [ "$n" != 0 ]; then cat -- "$2"; fi; end bulk "$1 $3"
}
b_stat() {
  rc=0; if [ -s "$B.S" ]; then xargs -0 -r stat -L --printf '%f %u %g %s %Y %d %i %n\000' -- < "$B.S" > "$B.so" 2>/dev/null; rc=$?; fi
  brec stat "$B.so" "$rc"
}
b_lstat() {
  rc=0; if [ -s "$B.L" ]; then xargs -0 -r stat --printf '%f %u %g %s %Y %d %i %n\000' -- < "$B.L" > "$B.lo" 2>/dev/null; rc=$?; fi
  brec lstat "$B.lo" "$rc"
}
b_list() {
  rc=0; if [ -s "$B.D" ]; then find -H -files0-from "$B.D" -maxdepth 1 -printf '%d %y %H\000%f\000' > "$B.do" 2>/dev/null; rc=$?; fi
  brec list "$B.do" "$rc"
}
# b_reads MAX...: per bound, the files within it go in $B.T and the others' sizes in a big record; one
# tar of $B.T, then one stat of the same files (a size or mtime that moved: that file changed).
b_reads() {
  for m do
    if [ -s "$B.R$m" ]; then
      find -L -files0-from "$B.R$m" -maxdepth 0 -type f \( -size -"$((m + 1))"c -print0 -o -fprintf "$B.g$m" '%s %p\000' \) >> "$B.T" 2>/dev/null
      brec big "$B.g$m" 0
    fi
  done
  rc=0
  if [ -s "$B.T" ]; then
    tar -c -f - -P --no-recursion -h --hard-dereference --numeric-owner --format=gnu --null --verbatim-files-from -T "$B.T" > "$B.to" 2>/dev/null; rc=$?
    xargs -0 -r stat -L --printf '%s %Y %n\000' -- < "$B.T" > "$B.po" 2>/dev/null
  fi
  brec tar "$B.to" "$rc"; brec post "$B.po" 0
  rc=0; if [ -n "$Z" ]; then ( cd "$T" && exec tar -c -f - --no-recursion --numeric-owner --format=gnu -- "w$W".z.* ) > "$B.zo" 2>/dev/null; rc=$?; fi
  brec ztar "$B.zo" "$rc"
}
mark() { hdr "$1" "$2" 0; end "$1" bulk; }
f_stat() {
  if [ -z "$F" ]; then r_stat "$1" "$2" -L stat; return; fi
  if [ -e "$2" ]; then mark "$1" stat; elif [ -L "$2" ]; then empty "$1" stat dangling; else empty "$1" stat missing; fi
}
f_lstat() {
  if [ -z "$F" ]; then r_stat "$1" "$2" '' lstat; return; fi
  if [ -e "$2" ] || [ -L "$2" ]; then mark "$1" lstat; else empty "$1" lstat missing; fi
}
f_list() {
  if [ -z "$F" ]; then r_list "$@"; return; fi
  if [ ! -e "$2" ] && [ ! -L "$2" ]; then empty "$1" list missing; return; fi
  if [ ! -d "$2" ]; then empty "$1" list not-dir; return; fi
  if [ ! -r "$2" ] || [ ! -x "$2" ]; then empty "$1" list denied; return; fi
  mark "$1" list
}
f_read() {
  if [ -z "$F" ]; then r_read "$@"; return; fi
  if [ ! -e "$2" ]; then if [ -L "$2" ]; then empty "$1" read dangling; else empty "$1" read missing; fi; return; fi
  if [ ! -f "$2" ]; then empty "$1" read not-file; return; fi
  if [ ! -r "$2" ]; then empty "$1" read denied; return; fi
  mark "$1" read
}
`;

/** The script for a list of requests, with a fresh nonce (128 random bits) that frames its records. */
export function buildPayload(
  requests: PayloadRequest[],
  nonce = randomBytes(16).toString('hex'),
  /** keepOpen: no `exit` at the end (a session reads the next payload); prelude false: the functions were sent before in this session. */
  opts: { keepOpen?: boolean; prelude?: boolean } = {},
): Payload {
  if (!/^[0-9a-f]{32}$/.test(nonce)) throw new Error('payload nonce must be 32 hex digits');
  const q = (s: string): string => {
    if (s.includes('\0')) throw new Error('a payload argument holds a NUL byte');
    return shQuote(s);
  };
  const int = (n: number, what: string): string => {
    if (!Number.isSafeInteger(n) || n < 0 || n > MAX_REQUEST_BYTES) throw new Error(`payload ${what} ${n} is out of range`);
    return String(n);
  };
  const lines = requests.map((r, id) => {
    switch (r.op) {
      case 'read':
        return `f_read ${id} ${q(r.path)} ${int(r.maxBytes, 'maxBytes')}`;
      case 'stat':
        return `f_stat ${id} ${q(r.path)}`;
      case 'lstat':
        return `f_lstat ${id} ${q(r.path)}`;
      case 'list':
        return `f_list ${id} ${q(r.path)}`;
      case 'glob':
        // The pattern is expanded (unquoted in `for g in $1`) but never split: IFS is empty there.
        return `r_glob ${id} ${q(r.pattern)}`;
      case 'run':
        if (r.argv.length === 0) throw new Error('payload run: empty argv');
        return `r_run ${id} ${int(Math.max(1, Math.ceil(r.timeoutSec)), 'timeout')} ${int(r.maxBytes, 'maxBytes')} ${r.argv.map(q).join(' ')}`;
    }
  });
  // Pass 1 and the bulk commands (only on a host with the GNU tools and a temp dir: else F is empty and
  // each f_* line answers on its own, as a POSIX shell with BusyBox can).
  const plan = planBulk(requests);
  const pass1 = [
    ...plan.stat.map((p) => `a_S ${q(p)}`),
    ...plan.lstat.map((p) => `a_L ${q(p)}`),
    ...plan.list.map((p) => `a_D ${q(p)}`),
    ...plan.reads.map((r) => `${pseudoFile(r.path) ? 'a_C' : 'a_R'} ${r.id} ${int(r.max, 'maxBytes')} ${q(r.path)}`),
    ...(plan.stat.length > 0 ? ['b_stat'] : []),
    ...(plan.lstat.length > 0 ? ['b_lstat'] : []),
    ...(plan.list.length > 0 ? ['b_list'] : []),
    ...(plan.reads.length > 0 ? [`b_reads ${plan.maxes.join(' ')}`] : []),
  ];
  const batched =
    pass1.length > 0
      ? ['F=; if [ -n "$G" ] && tmpdir; then F=1; W=$((W + 1)); B="$T/w$W"; Z=; fi', 'if [ -n "$F" ]; then', ...pass1, 'fi']
      : ['F='];
  const cleanup = pass1.length > 0 ? ['if [ -n "$F" ]; then rm -f -- "$B".*; fi'] : [];
  // Everything sits in one function read before it runs, and runs with stdin from /dev/null: no command
  // can swallow the rest of the script from sh's stdin.
  const script = [
    `N=${nonce}`,
    ...(opts.prelude === false ? [] : [PRELUDE.trim()]),
    'rampart_main() {',
    "IFS=''",
    'printf \'RMP1 %s begin\\n\' "$N"',
    ...batched,
    ...lines,
    ...cleanup,
    `printf 'RMP1 %s done %s\\n' "$N" ${requests.length}`,
    '}',
    'rampart_main < /dev/null',
    // keepOpen: sh -s goes on reading the next payload from the same stdin (one session per host).
    ...(opts.keepOpen ? [] : ['exit 0']),
    '',
  ].join('\n');
  return { script, nonce, requests };
}

// ---- the decoder

export type PayloadResult =
  /** truncated: the file is over the bound; its bytes are then a prefix of at most maxBytes (possibly empty). */
  | { op: 'read'; ok: true; bytes: Buffer; size: number; truncated: boolean; changed: boolean }
  | { op: 'stat' | 'lstat'; ok: true; stat: StatInfo }
  | { op: 'list'; ok: true; entries: DirEntry[]; changed: boolean }
  | { op: 'glob'; ok: true; paths: string[] }
  | { op: 'run'; ok: true; code: number; stdout: Buffer; stderr: Buffer; truncated: boolean }
  | { op: 'run'; ok: false; reason: 'timeout' | 'not-found' | 'error'; message: string }
  | { op: PayloadRequest['op']; ok: false; error: FsErrorKind | 'unsupported'; message: string };

export interface DecodeLimits {
  /** Largest body accepted in one record (default: the request's maxBytes, else 1 MiB). */
  maxFrameBytes?: number;
  /** Largest stream accepted in all (default 256 MiB). */
  maxTotalBytes?: number;
  /** Bytes tolerated before the begin line (a chatty login shell), default 64 KiB. */
  maxPreambleBytes?: number;
}

export type DecodeResult =
  { ok: true; results: PayloadResult[]; preamble: number } | { ok: false; message: string; results: PayloadResult[] };

const HEADER_MAX = 256;
const OPS = new Set(['read', 'stat', 'lstat', 'list', 'glob', 'run', 'stderr']);
const ERR_KINDS = new Set(['missing', 'denied', 'not-file', 'not-dir', 'io', 'dangling', 'unsupported', 'not-found', 'no-tmp']);

class FrameError extends Error {}

/**
 * A strict incremental decoder for one payload's stdout: push() chunks as they arrive, end() when the
 * stream closes. Bounded: a body over its limit, a stream over maxTotalBytes, a header line over 256
 * bytes, an unknown nonce, id or op, a missing trailer: each is a clear error, never a crash.
 */
export class PayloadDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private total = 0;
  private state: 'preamble' | 'header' | 'body' | 'trailer' | 'done' | 'failed' = 'preamble';
  private error: string | null = null;
  private readonly results: PayloadResult[] = [];
  private current: { id: number | 'bulk'; op: string; len: number; body: Buffer | null } | null = null;
  /** The wave's bulk records, parsed (GNU hosts): what a request's "bulk" record points to. */
  private readonly bulk: {
    seen: Set<string>;
    stat?: Map<string, StatInfo>;
    lstat?: Map<string, StatInfo>;
    list?: { entries: Map<string, DirEntry[]>; rc: number };
    tar?: { members: Map<string, TarMember>; rc: number };
    post?: Map<string, { size: number; mtime: number | null }>;
    big: Map<string, { size: number; mtime: number | null }>;
    /** The bounded copies of size-0 files, by the id of the request that made them. */
    ztar?: Map<number, TarMember>;
  } = { seen: new Set(), big: new Map() };
  private plan: BulkPlan | null = null;
  private stdoutOfRun: { body: Buffer; status: string[] } | null = null;
  private preamble = 0;
  private readonly prefix: Buffer;

  constructor(
    private readonly payload: Pick<Payload, 'nonce' | 'requests'>,
    private readonly limits: DecodeLimits = {},
  ) {
    this.prefix = Buffer.from(`RMP1 ${payload.nonce} `);
  }

  /** Whether the whole stream (its `done` line) has been read. */
  get complete(): boolean {
    return this.state === 'done';
  }

  /** Why the stream was rejected, as soon as it is (the sender can stop reading); else null. */
  get failure(): string | null {
    return this.state === 'failed' ? this.error : null;
  }

  push(chunk: Buffer): void {
    if (this.state === 'failed' || this.state === 'done') {
      if (this.state === 'done' && chunk.length > 0) this.fail('bytes after the end of the stream');
      return;
    }
    this.total += chunk.length;
    if (this.total > (this.limits.maxTotalBytes ?? 256 * 1024 * 1024))
      return this.fail(`stream larger than ${this.limits.maxTotalBytes ?? 256 * 1024 * 1024} bytes`);
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    try {
      this.parse();
    } catch (e) {
      if (e instanceof FrameError) this.fail(e.message);
      else throw e;
    }
  }

  end(): DecodeResult {
    if (this.state === 'done') return { ok: true, results: this.results, preamble: this.preamble };
    if (this.state === 'preamble') this.fail(`no payload start in ${this.total} bytes of output (not a Rampart payload answer)`);
    if (this.state !== 'failed') {
      const got = this.results.length;
      this.fail(
        `stream ended early: ${got} of ${this.payload.requests.length} records${this.current ? ` (inside record ${this.current.id})` : ''}`,
      );
    }
    return { ok: false, message: this.error ?? 'failed', results: this.results };
  }

  private fail(message: string): void {
    if (this.state !== 'failed') {
      this.state = 'failed';
      this.error = message;
    }
    this.chunks = [];
    this.buffered = 0;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.buffered);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return out;
  }

  /**
   * A body of n bytes as its own buffer: a small one copied out of its chunk (a view would keep the whole
   * chunk alive), a big one the one concatenation of its chunks (no second copy of megabytes).
   */
  private takeBody(n: number): Buffer {
    if (n < 1024 * 1024) return Buffer.from(this.take(n));
    const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.buffered);
    const rest = Buffer.from(all.subarray(n));
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return all.subarray(0, n);
  }

  private peekAll(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** A complete line (without \n) if buffered, bounded by max. */
  private line(max: number): string | null {
    const buf = this.peekAll();
    const nl = buf.indexOf(10);
    if (nl < 0) {
      if (buf.length > max) throw new FrameError(`a frame line longer than ${max} bytes`);
      return null;
    }
    if (nl > max) throw new FrameError(`a frame line longer than ${max} bytes`);
    const l = this.take(nl + 1).subarray(0, nl);
    return l.toString('latin1');
  }

  private parse(): void {
    for (;;) {
      if (this.state === 'preamble') {
        const buf = this.peekAll();
        const begin = Buffer.from(`RMP1 ${this.payload.nonce} begin\n`);
        const at = buf.indexOf(begin);
        const limit = this.limits.maxPreambleBytes ?? 64 * 1024;
        if (at < 0) {
          if (buf.length > limit + begin.length)
            throw new FrameError(`no payload start in the first ${limit} bytes (not a Rampart payload answer)`);
          return;
        }
        if (at > limit) throw new FrameError(`${at} bytes of output before the payload start`);
        this.preamble = at;
        this.take(at + begin.length);
        this.state = 'header';
      } else if (this.state === 'header') {
        const l = this.line(HEADER_MAX);
        if (l === null) return;
        if (!l.startsWith(this.prefix.toString('latin1')))
          throw new FrameError(`garbage where a record header was expected: ${JSON.stringify(l.slice(0, 60))}`);
        const f = l.slice(this.prefix.length).split(' ');
        if (f[0] === 'done') {
          if (f.length !== 2 || f[1] !== String(this.payload.requests.length) || this.results.length !== this.payload.requests.length)
            throw new FrameError(`bad end of stream "${l.slice(this.prefix.length)}" after ${this.results.length} records`);
          this.state = 'done';
          if (this.buffered > 0) throw new FrameError('bytes after the end of the stream');
          return;
        }
        if (f[0] === 'bulk') {
          const kind = f[1] ?? '';
          if (f.length !== 3 || !BULK_KINDS.has(kind) || !/^\d{1,12}$/.test(f[2] ?? '') || this.results.length > 0 || this.stdoutOfRun)
            throw new FrameError(`bad bulk record header "${l.slice(this.prefix.length, this.prefix.length + 80)}"`);
          if (kind !== 'big' && this.bulk.seen.has(kind)) throw new FrameError(`a second ${kind} bulk record`);
          this.bulk.seen.add(kind);
          const len = Number(f[2]);
          const max = this.limits.maxFrameBytes ?? bulkLimit(this.bulkPlan(), kind as BulkKind);
          if (len > max) throw new FrameError(`the ${kind} bulk record announces ${len} bytes, over its limit of ${max}`);
          this.current = { id: 'bulk', op: kind, len, body: null };
          this.state = 'body';
          continue;
        }
        const [idText, op, lenText] = f;
        const id = Number(idText);
        if (f.length !== 3 || !/^\d{1,9}$/.test(idText ?? '') || !/^\d{1,12}$/.test(lenText ?? '') || !OPS.has(op ?? ''))
          throw new FrameError(`bad record header "${l.slice(this.prefix.length, this.prefix.length + 80)}"`);
        const want = this.payload.requests[this.results.length];
        const expectedOp = this.stdoutOfRun ? 'stderr' : want?.op;
        if (want === undefined || id !== this.results.length || op !== expectedOp)
          throw new FrameError(`record ${id} ${op ?? ''} out of order (expected ${this.results.length} ${expectedOp ?? 'end'})`);
        const len = Number(lenText);
        const max = this.limits.maxFrameBytes ?? ('maxBytes' in want ? want.maxBytes : 1024 * 1024);
        if (len > max) throw new FrameError(`record ${id} announces ${len} bytes, over its limit of ${max}`);
        this.current = { id, op: op as string, len, body: null };
        this.state = 'body';
      } else if (this.state === 'body') {
        const c = this.current as { id: number | 'bulk'; op: string; len: number; body: Buffer | null };
        // The body, then the "\n" that opens the trailer line.
        if (this.buffered < c.len + 1) return;
        c.body = this.takeBody(c.len);
        if (this.take(1)[0] !== 10) throw new FrameError(`record ${c.id}: no trailer after ${c.len} bytes`);
        this.state = 'trailer';
      } else if (this.state === 'trailer') {
        const c = this.current as { id: number | 'bulk'; op: string; len: number; body: Buffer };
        const l = this.line(HEADER_MAX);
        if (l === null) return;
        const head = `${this.prefix.toString('latin1')}end ${c.id} `;
        if (!l.startsWith(head)) throw new FrameError(`record ${c.id}: bad trailer ${JSON.stringify(l.slice(0, 60))}`);
        const status = l.slice(head.length).split(' ');
        if (!status.every((s) => /^[a-z0-9-]{1,32}$/.test(s))) throw new FrameError(`record ${c.id}: bad trailer status`);
        if (c.id === 'bulk') this.finishBulk(c.op as BulkKind, c.body, status);
        else this.finish({ id: c.id, op: c.op, body: c.body }, status);
        this.current = null;
        this.state = 'header';
      } else return;
    }
  }

  private finish(c: { id: number; op: string; body: Buffer }, status: string[]): void {
    const req = this.payload.requests[c.id] as PayloadRequest;
    if (c.op === 'run') {
      if (status[0] === 'err') {
        if (c.body.length !== 0 || !ERR_KINDS.has(status[1] ?? '')) throw new FrameError(`record ${c.id}: bad error status`);
      }
      this.stdoutOfRun = { body: c.body, status };
      return;
    }
    if (c.op === 'stderr') return this.finishRun(c, status);
    if (status[0] === 'bulk') {
      if (status.length !== 1 || c.body.length !== 0) throw new FrameError(`record ${c.id}: bad bulk status`);
      this.stdoutOfRun = null;
      this.results.push(this.fromBulk(req, c.id));
      return;
    }
    if (status[0] === 'err') {
      const kind = status[1] ?? '';
      if (!ERR_KINDS.has(kind) || c.body.length !== 0) throw new FrameError(`record ${c.id}: bad error status`);
      this.stdoutOfRun = null;
      this.results.push(errorResult(req, kind));
      return;
    }
    this.results.push(this.decodeBody(req, c.id, c.body, status));
  }

  private bulkPlan(): BulkPlan {
    return (this.plan ??= planBulk(this.payload.requests));
  }

  private finishBulk(kind: BulkKind, body: Buffer, status: string[]): void {
    if (status.length !== 2 || status[0] !== kind || !/^\d{1,3}$/.test(status[1] ?? ''))
      throw new FrameError(`the ${kind} bulk record: bad trailer status`);
    const rc = Number(status[1]);
    try {
      if (kind === 'stat' || kind === 'lstat') this.bulk[kind] = parseStats(body);
      else if (kind === 'list') this.bulk.list = { entries: parseListings(body), rc };
      else if (kind === 'tar') this.bulk.tar = { members: parseTar(body), rc };
      else if (kind === 'ztar') {
        const byId = new Map<number, TarMember>();
        for (const [name, m] of parseTar(body)) {
          const n = /^w\d{1,9}\.z\.(\d{1,9})$/.exec(name);
          if (!n) throw new BulkError('a copy with a foreign name');
          byId.set(Number(n[1]), m);
        }
        this.bulk.ztar = byId;
      } else if (kind === 'post') this.bulk.post = parseSizes(body, true);
      else for (const [k, v] of parseSizes(body, false)) if (!this.bulk.big.has(k)) this.bulk.big.set(k, v);
    } catch (e) {
      if (e instanceof BulkError) throw new FrameError(`the ${kind} bulk record: ${e.message}`);
      throw e;
    }
  }

  /**
   * A request answered in a bulk record. What the bulk records lack (an entry that vanished between
   * the shell's test and the bulk command: /proc) is an io error of this request only.
   */
  private fromBulk(req: PayloadRequest, id: number): PayloadResult {
    const gone = (what: string): PayloadResult => ({
      op: req.op,
      ok: false,
      error: 'io',
      message: `${'path' in req ? req.path : ''}: ${what}`,
    });
    const need = (kind: BulkKind) => {
      if (!this.bulk.seen.has(kind)) throw new FrameError(`record ${id}: a bulk answer without the ${kind} bulk record`);
    };
    switch (req.op) {
      case 'stat':
      case 'lstat': {
        need(req.op);
        const st = this.bulk[req.op]?.get(hostKey(req.path));
        return st ? { op: req.op, ok: true, stat: { ...st } } : gone('changed while it was read (no stat answer)');
      }
      case 'list': {
        need('list');
        const l = this.bulk.list;
        const entries = l?.entries.get(hostKey(req.path));
        if (!l || !entries) return gone('changed while it was listed (no listing)');
        // find stopped on some directory (it vanished after its own stat): an empty one may be it.
        if (l.rc !== 0 && entries.length === 0) return gone('changed while it was listed');
        return { op: 'list', ok: true, entries: entries.map((e) => ({ ...e })), changed: false };
      }
      case 'read': {
        for (const k of ['tar', 'post', 'ztar'] as const) need(k);
        const key = hostKey(req.path);
        const max = req.maxBytes;
        const m = this.bulk.tar?.members.get(key);
        if (m) {
          const after = this.bulk.post?.get(key);
          // tar said something changed (a file that shrank is padded with zeros): a body ending in a
          // zero byte may be that padding, never content.
          const padded = this.bulk.tar?.rc !== 0 && m.data.length > 0 && m.data[m.data.length - 1] === 0;
          const changed = padded || !after || after.size !== m.size || after.mtime !== m.mtime;
          return m.size > max
            ? { op: 'read', ok: true, bytes: Buffer.from(m.data.subarray(0, max)), size: m.size, truncated: true, changed }
            : { op: 'read', ok: true, bytes: m.data, size: m.size, truncated: false, changed };
        }
        const big = this.bulk.big.get(key);
        if (big && big.size > max) return { op: 'read', ok: true, bytes: Buffer.alloc(0), size: big.size, truncated: true, changed: false };
        const first = this.bulkPlan().readIds.get(readKey(req.path, max));
        const z = first === undefined ? undefined : this.bulk.ztar?.get(first);
        if (z) {
          if (z.size > max + 1) throw new FrameError(`record ${id}: a copy longer than its bound`);
          return {
            op: 'read',
            ok: true,
            bytes: Buffer.from(z.data.subarray(0, max)),
            size: z.size,
            truncated: z.size > max,
            changed: false,
          };
        }
        return gone('changed while it was read (vanished)');
      }
      default:
        throw new FrameError(`record ${id}: a bulk answer for a ${req.op} request`);
    }
  }

  private decodeBody(req: PayloadRequest, id: number, body: Buffer, status: string[]): PayloadResult {
    const bad = (what: string) => new FrameError(`record ${id}: ${what}`);
    switch (req.op) {
      case 'read': {
        const size = Number(status[1]);
        if ((status[0] !== 'ok' && status[0] !== 'changed') || !/^\d+$/.test(status[1] ?? '')) throw bad('bad read status');
        if (body.length > size) throw bad('more bytes than the file holds');
        return { op: 'read', ok: true, bytes: body, size, truncated: body.length < size, changed: status[0] === 'changed' };
      }
      case 'stat':
      case 'lstat': {
        const m = /^([0-9a-f]{1,8}) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)$/.exec(body.toString('latin1'));
        if (!m || status[0] !== 'ok') throw bad('bad stat line');
        return { op: req.op, ok: true, stat: statOfFields(m) };
      }
      case 'list': {
        const entries: DirEntry[] = [];
        for (const item of splitNul(body, bad)) {
          const t = TYPE_LETTERS[item[0] ?? ''];
          if (t === undefined || item[1] !== ' ' || item.length < 3) throw bad('bad directory entry');
          entries.push({ name: item.slice(2), type: t });
        }
        // Sorted as FsTarget sorts them (the shell lists dotfiles after the others).
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        return { op: 'list', ok: true, entries, changed: status[0] === 'changed' };
      }
      case 'glob':
        return { op: 'glob', ok: true, paths: splitNul(body, bad).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
      case 'run':
        throw bad('unexpected');
    }
  }

  /** The stderr record that follows a run's stdout record completes the run's result. */
  private finishRun(c: { id: number; body: Buffer }, status: string[]): void {
    const out = this.stdoutOfRun;
    this.stdoutOfRun = null;
    const req = this.payload.requests[c.id] as Extract<PayloadRequest, { op: 'run' }>;
    const cmd = req.argv.join(' ');
    if (status[0] === 'err' || out?.status[0] === 'err') {
      const kind = status[0] === 'err' ? status[1] : out?.status[1];
      this.results.push(
        kind === 'not-found'
          ? { op: 'run', ok: false, reason: 'not-found', message: `${req.argv[0]}: command not found` }
          : {
              op: 'run',
              ok: false,
              reason: 'error',
              message: `${cmd}: ${kind === 'no-tmp' ? 'no temp dir on the host for the output' : String(kind)}`,
            },
      );
      return;
    }
    if (
      !out ||
      status[0] !== 'rc' ||
      !/^\d{1,3}$/.test(status[1] ?? '') ||
      !/^\d+$/.test(status[2] ?? '') ||
      out.status[0] !== 'rc' ||
      out.status[1] !== status[1]
    )
      throw new FrameError(`record ${c.id}: bad run status`);
    const code = Number(status[1]);
    // 137 = 128 + SIGKILL from `timeout -s KILL` (GNU and BusyBox alike).
    if (code === 137) {
      this.results.push({ op: 'run', ok: false, reason: 'timeout', message: `${cmd}: timed out after ${req.timeoutSec} s` });
      return;
    }
    // 153 = 128 + SIGXFSZ: the output hit the size limit (ulimit -f) and the command was stopped.
    const truncated = code === 153 || Number(out.status[2]) > out.body.length || Number(status[2]) > c.body.length;
    this.results.push({ op: 'run', ok: true, code, stdout: out.body, stderr: c.body, truncated });
  }
}

const TYPE_LETTERS: Record<string, FileType> = {
  f: 'file',
  d: 'dir',
  l: 'symlink',
  b: 'block',
  c: 'char',
  p: 'fifo',
  s: 'socket',
  o: 'other',
};

function splitNul(body: Buffer, bad: (w: string) => Error): string[] {
  if (body.length === 0) return [];
  if (body[body.length - 1] !== 0) throw bad('list not NUL-terminated');
  return body
    .subarray(0, body.length - 1)
    .toString('utf8')
    .split('\0');
}

function errorResult(req: PayloadRequest, kind: string): PayloadResult {
  const subject = req.op === 'glob' ? req.pattern : req.op === 'run' ? (req.argv[0] ?? '') : req.path;
  const map: Record<string, FsErrorKind | 'unsupported'> = {
    missing: 'missing',
    denied: 'denied',
    'not-file': 'not-file',
    'not-dir': 'not-dir',
    io: 'io',
    dangling: 'missing',
    unsupported: 'unsupported',
  };
  const error = map[kind] ?? 'io';
  const what: Record<string, string> = {
    missing: 'no such file or directory',
    dangling: 'dangling symlink',
    denied: 'permission denied',
    'not-file': 'not a regular file',
    'not-dir': 'not a directory',
    io: 'read error',
    unsupported: 'stat(1) is not available on the host',
  };
  return { op: req.op, ok: false, error, message: `${subject}: ${what[kind] ?? kind}` };
}

/** Decodes a whole captured stream at once. */
export function decodePayloadOutput(payload: Pick<Payload, 'nonce' | 'requests'>, stdout: Buffer, limits?: DecodeLimits): DecodeResult {
  const d = new PayloadDecoder(payload, limits);
  d.push(stdout);
  return d.end();
}
