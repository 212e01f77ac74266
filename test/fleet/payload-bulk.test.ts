// The batched payload (issue 11 performance): with GNU stat/find/tar a wave's stat, lstat, list and read
// requests are answered by a few bulk records, each request's own record pointing at them. Checked
// against Node's fs (FsTarget) on odd names, missing files, symlinks, /proc files, files over their
// bound, as an unprivileged user (permission denied), with the tools' runs counted (O(1) per wave,
// not O(requests)); then the decoder on vanished entries and hostile bulk records.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRoot, requireCommands } from '../helpers.js';
import { FsTarget } from '../../src/target/fs-target.js';
import { buildPayload, decodePayloadOutput, type PayloadRequest, type PayloadResult } from '../../src/fleet/payload.js';
import { rng } from '../rng.js';

const ODD = ["it's", 'new\nline', ' lead', '-n', '*', 'ü', 'x;touch pwned', '$(touch pwned)', 'back\\slash', 'tab\there'];

let root = '';
// The payloads' own temp dirs go here, not in /tmp (payload.test.ts counts what appears in /tmp).
let scratch = '';
before(() => {
  root = mkdtempSync(join(tmpdir(), 'rampart-bulk-'));
  chmodSync(root, 0o755);
  scratch = join(root, 'scratch');
  mkdirSync(scratch);
  chmodSync(scratch, 0o1777);
  mkdirSync(join(root, 'odd'));
  for (const n of ODD) writeFileSync(join(root, 'odd', n), `content of ${n}\n`);
  mkdirSync(join(root, 'odd', 'sub dir'));
  writeFileSync(join(root, 'big'), 'x'.repeat(10_000));
  writeFileSync(join(root, 'empty'), '');
  writeFileSync(join(root, 'secret'), 'top secret\n', { mode: 0o600 });
  mkdirSync(join(root, 'closed'), { mode: 0o700 });
  writeFileSync(join(root, 'closed', 'inside'), 'hidden\n');
  symlinkSync('odd/ü', join(root, 'link'));
  symlinkSync('nowhere', join(root, 'dangling'));
  symlinkSync('odd', join(root, 'dirlink'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const p = (x: string) => join(root, x);

function run(script: string, opts: { asNobody?: boolean; path?: string } = {}) {
  const env = { ...process.env, TMPDIR: scratch, ...(opts.path ? { PATH: opts.path } : {}) };
  const r = opts.asNobody
    ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/bin/sh', '-s'], {
        input: script,
        env,
        maxBuffer: 64 << 20,
      })
    : spawnSync('/bin/sh', ['-s'], { input: script, env, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr.toString());
  return r.stdout;
}

function answer(reqs: PayloadRequest[], opts: { asNobody?: boolean; path?: string } = {}): { results: PayloadResult[]; out: string } {
  const pl = buildPayload(reqs);
  const out = run(pl.script, opts);
  const d = decodePayloadOutput(pl, out);
  assert.ok(d.ok, d.ok ? '' : d.message);
  return { results: d.results, out: out.toString('latin1') };
}

async function truth(r: PayloadRequest): Promise<unknown> {
  const fs = new FsTarget({ name: 'truth' });
  if (r.op === 'read') {
    const b = await fs.readBytes(r.path, { binaryOk: true, maxBytes: 1 << 30 });
    return b.ok
      ? { ok: true, size: b.bytes.length, bytes: b.bytes.length <= r.maxBytes ? b.bytes.toString('hex') : 'over' }
      : { ok: false, error: b.error };
  }
  if (r.op === 'stat' || r.op === 'lstat') {
    const s = await fs[r.op](r.path);
    return s.ok
      ? { ok: true, type: s.type, mode: s.mode, uid: s.uid, size: s.size, mtime: Math.floor(s.mtimeMs / 1000), ino: s.ino }
      : { ok: false, error: s.error };
  }
  if (r.op === 'list') {
    const l = await fs.list(r.path);
    return l.ok ? { ok: true, entries: l.entries } : { ok: false, error: l.error };
  }
  return null;
}

function shape(r: PayloadRequest, x: PayloadResult): unknown {
  if (!x.ok) return { ok: false, error: 'error' in x ? x.error : x.reason };
  if (x.op === 'read' && r.op === 'read') {
    // Over the bound: the size, and the bytes are at most a prefix (never more than the bound).
    if (x.truncated) assert.ok(x.bytes.length <= r.maxBytes);
    return { ok: true, size: x.size, bytes: x.truncated ? 'over' : x.bytes.toString('hex') };
  }
  if (x.op === 'stat' || x.op === 'lstat') {
    const s = x.stat;
    return { ok: true, type: s.type, mode: s.mode, uid: s.uid, size: s.size, mtime: s.mtimeMs / 1000, ino: s.ino };
  }
  if (x.op === 'list') return { ok: true, entries: x.entries };
  return x;
}

function requests(): PayloadRequest[] {
  const names = [...ODD.map((n) => `odd/${n}`), 'big', 'empty', 'secret', 'link', 'dangling', 'dirlink', 'missing', 'odd', 'closed/inside'];
  return [
    ...names.map((n): PayloadRequest => ({ op: 'read', path: p(n), maxBytes: 4096 })),
    ...names.map((n): PayloadRequest => ({ op: 'stat', path: p(n) })),
    ...names.map((n): PayloadRequest => ({ op: 'lstat', path: p(n) })),
    ...['odd', 'dirlink', 'missing', 'big', 'closed', 'odd/sub dir'].map((n): PayloadRequest => ({ op: 'list', path: p(n) })),
    // The same file under two bounds, and alone over its bound.
    { op: 'read', path: p('odd/ü'), maxBytes: 3 },
    { op: 'read', path: p('big'), maxBytes: 100 },
  ];
}

test('GNU host: stat, lstat, list and read of odd names, symlinks, missing and oversize files answer as Node fs does, in bulk records', async (t) => {
  if (!requireCommands(t, 'stat', 'find', 'tar', 'xargs')) return;
  const reqs = requests();
  const { results, out } = answer(reqs);
  for (const kind of ['stat', 'lstat', 'list', 'tar', 'post', 'ztar', 'big'])
    assert.match(out, new RegExp(`RMP1 [0-9a-f]{32} bulk ${kind} \\d+\\n`), `the ${kind} bulk record`);
  for (const [i, r] of reqs.entries()) {
    const got = results[i] as PayloadResult;
    if (r.op === 'read' && /\/(odd|dirlink)$/.test(r.path)) assert.deepEqual(shape(r, got), { ok: false, error: 'not-file' });
    else assert.deepEqual(shape(r, got), await truth(r), `request ${i} ${JSON.stringify(r)}`);
  }
  // The names stayed data: nothing ran `touch pwned` (the payload runs in /).
  assert.equal(existsSync('/pwned') || existsSync(p('odd/pwned')) || existsSync(p('pwned')), false);
});

test('an unprivileged host user: permission denied where the kernel denies it, never data', (t) => {
  if (!requireCommands(t, 'setpriv') || !isRoot()) return;
  const reqs: PayloadRequest[] = [
    { op: 'read', path: p('secret'), maxBytes: 100 },
    { op: 'stat', path: p('secret') },
    { op: 'list', path: p('closed') },
    { op: 'read', path: p('closed/inside'), maxBytes: 100 },
    { op: 'read', path: p('odd/ü'), maxBytes: 100 },
  ];
  const { results, out } = answer(reqs, { asNobody: true });
  assert.match(out, / bulk tar \d+\n/, 'the batched answer');
  const [secret, st, closed, inside, ok] = results;
  assert.deepEqual(shape(reqs[0]!, secret!), { ok: false, error: 'denied' });
  assert.ok(st?.ok && st.op === 'stat' && st.stat.mode === 0o600 && st.stat.uid === 0);
  assert.deepEqual(shape(reqs[2]!, closed!), { ok: false, error: 'denied' });
  // Behind a directory it cannot search, the shell cannot tell missing from denied: never data.
  assert.equal(inside?.ok, false);
  assert.ok(ok?.ok && ok.op === 'read' && ok.bytes.toString() === 'content of ü\n');
});

test('/proc and /sys files (size 0, or 4096 in sysfs): their content as a read gives it, bounded', (t) => {
  if (!requireCommands(t, 'sleep')) return;
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  try {
    const pid = child.pid as number;
    // sysfs says 4096 bytes for each attribute: read by size, tar would pad them with zeros.
    const sysfs = ['/sys/class/net/lo/mtu', '/sys/kernel/mm/transparent_hugepage/enabled'].filter((f) => existsSync(f));
    assert.ok(sysfs.length > 0, 'a sysfs attribute to read');
    const files = [`/proc/${pid}/cmdline`, `/proc/${pid}/comm`, `/proc/${pid}/status`, '/proc/sys/kernel/ostype', ...sysfs];
    const reqs: PayloadRequest[] = [
      ...files.map((f): PayloadRequest => ({ op: 'read', path: f, maxBytes: 65536 })),
      { op: 'read', path: `/proc/${pid}/cmdline`, maxBytes: 3 },
      { op: 'read', path: '/proc/no-such-pid/status', maxBytes: 100 },
    ];
    const cutAt = files.length;
    const { results } = answer(reqs);
    for (const [i, f] of files.entries()) {
      const r = results[i];
      assert.ok(r?.ok && r.op === 'read' && !r.truncated, f);
      if (f.endsWith('/status')) assert.match(r.bytes.toString(), /^Name:\tsleep\n/);
      else assert.deepEqual(r.bytes, readFileSync(f), f);
    }
    assert.deepEqual(readFileSync(`/proc/${pid}/cmdline`), Buffer.from('sleep\x0060\x00'));
    const cut = results[cutAt];
    assert.ok(cut?.ok && cut.op === 'read' && cut.truncated && cut.size > 3 && cut.bytes.toString('latin1') === 'sle');
    assert.deepEqual(shape(reqs[cutAt + 1]!, results[cutAt + 1]!), { ok: false, error: 'missing' });
  } finally {
    child.kill('SIGKILL');
  }
});

test('the tools run O(1) times per wave, not once per request', (t) => {
  if (!requireCommands(t, 'stat', 'find', 'tar', 'xargs')) return;
  const wrap = mkdtempSync(join(tmpdir(), 'rampart-bulk-wrap-'));
  const log = join(wrap, 'log');
  try {
    for (const tool of ['stat', 'head', 'wc', 'cat', 'find', 'tar', 'xargs', 'tr', 'rm', 'mktemp']) {
      const real = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      writeFileSync(join(wrap, tool), `#!/bin/sh\necho ${tool} >> '${log}'\nexec ${real} "$@"\n`, { mode: 0o755 });
    }
    const count = (n: number): number => {
      writeFileSync(log, '');
      const reqs: PayloadRequest[] = [];
      for (let i = 0; i < n; i++) {
        const f = p(`odd/${ODD[i % ODD.length]}`);
        reqs.push(
          { op: 'stat', path: f },
          { op: 'lstat', path: p(`n${i}`) },
          { op: 'read', path: i % 2 ? f : p(`odd/${ODD[(i + 1) % ODD.length]}`), maxBytes: 4096 },
        );
        reqs.push({ op: 'list', path: i % 2 ? p('odd') : p('odd/sub dir') });
      }
      answer(reqs, { path: `${wrap}:${process.env.PATH ?? '/usr/bin:/bin'}` });
      return readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    };
    const small = count(20);
    const large = count(200);
    // The probe, the temp dir, then a fixed set per wave: the count does not grow with the requests
    // (20 → 200 of each kind; xargs may split a long list in two).
    assert.ok(large <= small + 2, `${small} → ${large} tool runs`);
    assert.ok(small < 40, `${small} tool runs for 80 requests`);
  } finally {
    rmSync(wrap, { recursive: true, force: true });
  }
});

// ---- the decoder against vanished entries and hostile bulk records (streams from a real run, edited)

function realStream(): { pl: ReturnType<typeof buildPayload>; out: Buffer } {
  const reqs: PayloadRequest[] = [
    { op: 'read', path: p('odd/ü'), maxBytes: 100 },
    { op: 'read', path: '/proc/self/status', maxBytes: 65536 },
    { op: 'stat', path: p('odd') },
    { op: 'list', path: p('odd') },
    { op: 'list', path: p('odd/sub dir') },
  ];
  const pl = buildPayload(reqs);
  return { pl, out: run(pl.script) };
}

/** The stream with one bulk record's body (and rc) replaced. */
function withBulk(out: Buffer, nonce: string, kind: string, body: Buffer | null, rc = 0): Buffer {
  const head = Buffer.from(`RMP1 ${nonce} bulk ${kind} `);
  const at = out.indexOf(head);
  assert.ok(at >= 0, `a ${kind} record`);
  const nl = out.indexOf(10, at);
  const len = Number(out.subarray(at + head.length, nl).toString());
  const trailerEnd = out.indexOf(10, nl + 1 + len + 1) + 1;
  const record =
    body === null
      ? Buffer.alloc(0)
      : Buffer.concat([head, Buffer.from(`${body.length}\n`), body, Buffer.from(`\nRMP1 ${nonce} end bulk ${kind} ${rc}\n`)]);
  return Buffer.concat([out.subarray(0, at), record, out.subarray(trailerEnd)]);
}

test('a /proc entry that vanished between the shell test and the bulk command: an io error of that request only', (t) => {
  if (!requireCommands(t, 'stat', 'find', 'tar', 'xargs')) return;
  const { pl, out } = realStream();
  const whole = decodePayloadOutput(pl, out);
  assert.ok(whole.ok && whole.results.every((r) => r.ok), 'the real stream decodes');
  // Its bounded copy is gone (the process exited): the read fails, the other four answer.
  const noCopy = decodePayloadOutput(pl, withBulk(out, pl.nonce, 'ztar', Buffer.alloc(0)));
  assert.ok(noCopy.ok, noCopy.ok ? '' : noCopy.message);
  assert.deepEqual(
    noCopy.results.map((r) => (r.ok ? 'ok' : 'error' in r ? r.error : r.reason)),
    ['ok', 'io', 'ok', 'ok', 'ok'],
  );
  assert.match((noCopy.results[1] as { message: string }).message, /\/proc\/self\/status: changed while it was read/);
  assert.deepEqual(noCopy.results[0], whole.results[0]);
  // A directory gone before find read it (find exits 1): that listing fails, not the whole answer.
  const lists = Buffer.from(`0 d ${p('odd')}\0odd\0`);
  const noDir = decodePayloadOutput(pl, withBulk(out, pl.nonce, 'list', lists, 1));
  assert.ok(noDir.ok, noDir.ok ? '' : noDir.message);
  assert.deepEqual(
    noDir.results.map((r) => (r.ok ? 'ok' : 'error' in r ? r.error : r.reason)),
    ['ok', 'ok', 'ok', 'io', 'io'],
  );
  // A directory replaced by a file since the shell's test: that listing fails, the other one answers.
  const replaced = Buffer.from(`0 f ${p('odd')}\0odd\0` + `0 d ${p('odd/sub dir')}\0sub dir\0`);
  const noLongerDir = decodePayloadOutput(pl, withBulk(out, pl.nonce, 'list', replaced));
  assert.ok(noLongerDir.ok, noLongerDir.ok ? '' : noLongerDir.message);
  assert.deepEqual(
    noLongerDir.results.map((r) => (r.ok ? 'ok' : 'error' in r ? r.error : r.reason)),
    ['ok', 'ok', 'ok', 'io', 'ok'],
  );
  // A file whose size moved while tar read it: read, but marked changed.
  const post = Buffer.from(`1 0 ${p('odd/ü')}\0`);
  const moved = decodePayloadOutput(pl, withBulk(out, pl.nonce, 'post', post));
  assert.ok(moved.ok && moved.results[0]?.op === 'read' && moved.results[0].ok && moved.results[0].changed);
});

test('hostile bulk records fail the host with a clear message, never a crash and never data', (t) => {
  if (!requireCommands(t, 'stat', 'find', 'tar', 'xargs')) return;
  const { pl, out } = realStream();
  const tarAt = out.indexOf(Buffer.from(`bulk tar `));
  const badSum = Buffer.from(out);
  const nameAt = out.indexOf(10, tarAt) + 1 + 10; // a byte of the first tar header's name
  badSum[nameAt] = (badSum[nameAt] as number) ^ 1;
  const cases: [string, Buffer, RegExp][] = [
    ['tar checksum', badSum, /tar: bad header checksum/],
    ['no stat record for a bulk answer', withBulk(out, pl.nonce, 'stat', null), /without the stat bulk record/],
    ['a second stat record', twice(out, pl.nonce, 'stat'), /a second stat bulk record/],
    ['an unterminated stat line', withBulk(out, pl.nonce, 'stat', Buffer.from('41ed 0 0 4096 1 2 3 /x')), /not NUL-terminated/],
    ['a listing entry with a slash', withBulk(out, pl.nonce, 'list', Buffer.from('0 d /a\0a\0' + '1 f /a\0b/c\0')), /bad listing entry/],
    ['a foreign copy name', withBulk(out, pl.nonce, 'ztar', withBulkTarName()), /foreign name/],
  ];
  for (const [name, buf, re] of cases) {
    const d = decodePayloadOutput(pl, buf);
    assert.ok(!d.ok, name);
    assert.match(d.message, re, name);
  }
  const big = Buffer.from(out.toString('latin1').replace(/bulk stat \d+/, 'bulk stat 99999999'), 'latin1');
  const d = decodePayloadOutput(pl, big);
  assert.ok(!d.ok && /over its limit/.test(d.message), d.ok ? '' : d.message);
});

/** The stream with one bulk record sent twice. */
function twice(out: Buffer, nonce: string, kind: string): Buffer {
  const at = out.indexOf(Buffer.from(`RMP1 ${nonce} bulk ${kind} `));
  const trailer = Buffer.from(`RMP1 ${nonce} end bulk ${kind} `);
  const end = out.indexOf(10, out.indexOf(trailer, at)) + 1;
  return Buffer.concat([out.subarray(0, end), out.subarray(at, end), out.subarray(end)]);
}

/** A tar stream of one file named like no copy the payload makes. */
function withBulkTarName(): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bulk-tar-'));
  try {
    writeFileSync(join(dir, 'etc-shadow'), 'x');
    return spawnSync('tar', ['-c', '-f', '-', '--format=gnu', '-C', dir, 'etc-shadow']).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('500 seeded mutations of a real bulk stream never throw, and most are refused', (t) => {
  if (!requireCommands(t, 'stat', 'find', 'tar', 'xargs')) return;
  const { pl, out } = realStream();
  const r = rng(23);
  let refused = 0;
  for (let i = 0; i < 500; i++) {
    const b = Buffer.from(out);
    const n = 1 + Math.floor(r() * 4);
    for (let k = 0; k < n; k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    const cut = r() < 0.3 ? b.subarray(0, Math.floor(r() * b.length)) : b;
    const d = decodePayloadOutput(pl, cut);
    if (!d.ok) refused++;
  }
  assert.ok(refused > 100, `${refused} of 500 refused`);
});
