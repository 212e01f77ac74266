// The one-trip payload against real shells: dash (/bin/sh) and BusyBox sh with BusyBox's own applets,
// locally and over a real sshd test host with ControlMaster; FsTarget (Node's fs) is the truth for
// what the payload reads. Then the decoder against hostile streams.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRoot, requireCommands } from '../helpers.js';
import { FsTarget } from '../../src/target/fs-target.js';
import {
  buildPayload,
  decodePayloadOutput,
  PayloadDecoder,
  shQuote,
  type PayloadRequest,
  type PayloadResult,
} from '../../src/fleet/payload.js';
import { rng } from '../rng.js';
import { startSshLab, type SshLab } from './ssh-hosts.js';

const HOSTILE = [
  'x;touch /tmp/rampart-pwned',
  "it's",
  '$(touch /tmp/rampart-pwned)',
  '`touch /tmp/rampart-pwned`',
  'new\nline',
  ' lead',
  '-n',
  '*',
  'ü',
];

let root = '';
let bbBin = '';
before(() => {
  root = mkdtempSync(join(tmpdir(), 'rampart-payload-'));
  mkdirSync(join(root, 'etc/ssh/sshd_config.d'), { recursive: true });
  writeFileSync(join(root, 'etc/ssh/sshd_config'), 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\n');
  writeFileSync(join(root, 'etc/ssh/sshd_config.d/10-a.conf'), 'PasswordAuthentication no\n');
  writeFileSync(join(root, 'etc/ssh/sshd_config.d/.hidden.conf'), 'x\n');
  writeFileSync(join(root, 'binary'), Buffer.from([0, 1, 2, 255, 10, 0, 0, 10, 10]));
  writeFileSync(join(root, 'trailing-newlines'), 'a\n\n\n');
  writeFileSync(join(root, 'empty'), '');
  mkdirSync(join(root, 'odd'));
  for (const n of HOSTILE.filter((x) => !x.includes('/'))) writeFileSync(join(root, 'odd', n), n);
  writeFileSync(join(root, 'odd', 'x;touch pwned'), 'data');
  symlinkSync('sshd_config', join(root, 'etc/ssh/link'));
  symlinkSync('nowhere', join(root, 'etc/ssh/dangling'));
  spawnSync('mkfifo', [join(root, 'fifo')]);
  // BusyBox sh with BusyBox's applets first on PATH: the payload must not need GNU tools.
  bbBin = join(root, 'bb');
  mkdirSync(bbBin);
  for (const a of ['sh', 'head', 'cat', 'wc', 'tr', 'stat', 'timeout', 'mktemp', 'rm', 'sleep', 'printf', 'yes'])
    symlinkSync('/bin/busybox', join(bbBin, a));
});
after(() => rmSync(root, { recursive: true, force: true }));

function requests(): PayloadRequest[] {
  const p = (x: string) => join(root, x);
  return [
    { op: 'read', path: p('etc/ssh/sshd_config'), maxBytes: 1 << 20 },
    { op: 'read', path: p('binary'), maxBytes: 1 << 20 },
    { op: 'read', path: p('trailing-newlines'), maxBytes: 1 << 20 },
    { op: 'read', path: p('empty'), maxBytes: 1 << 20 },
    { op: 'read', path: p('etc/ssh/sshd_config'), maxBytes: 5 },
    { op: 'read', path: p('missing'), maxBytes: 10 },
    { op: 'read', path: p('fifo'), maxBytes: 10 },
    { op: 'read', path: p('etc/ssh'), maxBytes: 10 },
    ...HOSTILE.map((n): PayloadRequest => ({ op: 'read', path: p(`odd/${n}`), maxBytes: 100 })),
    { op: 'stat', path: p('etc/ssh/link') },
    { op: 'lstat', path: p('etc/ssh/link') },
    { op: 'stat', path: p('etc/ssh/dangling') },
    { op: 'lstat', path: p('etc/ssh/dangling') },
    { op: 'stat', path: p('nothere') },
    { op: 'list', path: p('odd') },
    { op: 'list', path: p('etc/ssh') },
    { op: 'list', path: p('empty') },
    { op: 'glob', pattern: p('etc/ssh/sshd_config.d/*.conf') },
    { op: 'glob', pattern: p('odd/*') },
    { op: 'glob', pattern: p('none-*') },
    { op: 'glob', pattern: p('odd/$(touch /tmp/rampart-pwned)*') },
    { op: 'glob', pattern: p('odd/x;touch*') },
    { op: 'run', argv: ['printf', '%s\\n', ...HOSTILE], timeoutSec: 10, maxBytes: 4096 },
    { op: 'run', argv: ['cat'], timeoutSec: 10, maxBytes: 4096 },
    { op: 'run', argv: ['sh', '-c', 'echo out; echo err >&2; exit 7'], timeoutSec: 10, maxBytes: 4096 },
    { op: 'run', argv: ['sleep', '30'], timeoutSec: 1, maxBytes: 4096 },
    { op: 'run', argv: ['no-such-command-rampart'], timeoutSec: 1, maxBytes: 4096 },
    { op: 'run', argv: ['yes'], timeoutSec: 10, maxBytes: 2000 },
    { op: 'read', path: p('etc/ssh/sshd_config.d/10-a.conf'), maxBytes: 100 },
  ];
}

/** What FsTarget (Node's fs, the truth) answers for the same request, in the payload's result shape. */
async function truthOf(r: PayloadRequest): Promise<unknown> {
  const fs = new FsTarget({ name: 'truth' });
  switch (r.op) {
    case 'read': {
      const b = await fs.readBytes(r.path, { binaryOk: true, maxBytes: 1 << 30 });
      if (!b.ok) return { ok: false, error: b.error };
      return { ok: true, bytes: b.bytes.subarray(0, r.maxBytes).toString('hex'), size: b.bytes.length };
    }
    case 'stat':
    case 'lstat': {
      const s = await fs[r.op](r.path);
      if (!s.ok) return { ok: false, error: s.error };
      return {
        ok: true,
        type: s.type,
        mode: s.mode,
        uid: s.uid,
        gid: s.gid,
        size: s.size,
        mtime: Math.floor(s.mtimeMs / 1000),
        ino: s.ino,
      };
    }
    case 'list': {
      const l = await fs.list(r.path);
      return l.ok ? { ok: true, entries: l.entries } : { ok: false, error: l.error };
    }
    case 'glob':
      return { ok: true, paths: await fs.glob(r.pattern) };
    case 'run':
      return null;
  }
}

function shapeOf(x: PayloadResult): unknown {
  if (!x.ok) return 'error' in x ? { ok: false, error: x.error } : { ok: false, reason: x.reason };
  switch (x.op) {
    case 'read':
      return { ok: true, bytes: x.bytes.toString('hex'), size: x.size };
    case 'stat':
    case 'lstat':
      return {
        ok: true,
        type: x.stat.type,
        mode: x.stat.mode,
        uid: x.stat.uid,
        gid: x.stat.gid,
        size: x.stat.size,
        mtime: x.stat.mtimeMs / 1000,
        ino: x.stat.ino,
      };
    case 'list':
      return { ok: true, entries: x.entries };
    case 'glob':
      return { ok: true, paths: x.paths };
    case 'run':
      return x;
  }
}

async function checkResults(reqs: PayloadRequest[], results: PayloadResult[], where: string): Promise<void> {
  assert.equal(results.length, reqs.length);
  for (const [i, r] of reqs.entries()) {
    const got = results[i] as PayloadResult;
    if (r.op === 'run') continue;
    const want = await truthOf(r);
    // A fifo is "not a regular file" for the payload (it is never opened: that could block).
    if (r.op === 'read' && r.path.endsWith('/fifo')) assert.deepEqual(shapeOf(got), { ok: false, error: 'not-file' }, where);
    else if (r.op === 'read' && r.path.endsWith('/etc/ssh')) assert.deepEqual(shapeOf(got), { ok: false, error: 'not-file' }, where);
    else assert.deepEqual(shapeOf(got), want, `${where}: request ${i} ${JSON.stringify(r)}`);
  }
  const run = results.slice(reqs.length - 7);
  const [printf, cat, exit7, sleep, missing, yes] = run;
  assert.deepEqual(
    printf,
    { op: 'run', ok: true, code: 0, stdout: Buffer.from(HOSTILE.map((h) => `${h}\n`).join('')), stderr: Buffer.alloc(0), truncated: false },
    where,
  );
  assert.deepEqual(
    cat,
    { op: 'run', ok: true, code: 0, stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), truncated: false },
    `${where}: cat reads /dev/null, not the script`,
  );
  assert.ok(
    exit7?.ok && exit7.op === 'run' && exit7.code === 7 && exit7.stdout.toString() === 'out\n' && exit7.stderr.toString() === 'err\n',
    where,
  );
  assert.equal(sleep?.ok === false && 'reason' in sleep ? sleep.reason : '', 'timeout', where);
  assert.equal(missing?.ok === false && 'reason' in missing ? missing.reason : '', 'not-found', where);
  assert.ok(yes?.ok && yes.op === 'run' && yes.truncated && yes.stdout.length === 2000, `${where}: yes is cut at its bound`);
}

function tmpEntries(): Set<string> {
  return new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('tmp.')));
}

for (const shell of ['dash', 'busybox']) {
  test(`${shell}: every request answers as Node's fs does; hostile names stay data; nothing is left behind`, async (t) => {
    if (!requireCommands(t, shell === 'dash' ? 'dash' : 'busybox')) return;
    const reqs = requests();
    const p = buildPayload(reqs);
    const before = tmpEntries();
    const r =
      shell === 'dash'
        ? spawnSync('/bin/sh', ['-s'], { input: p.script, maxBuffer: 64 << 20 })
        : spawnSync(join(bbBin, 'sh'), ['-s'], { input: p.script, maxBuffer: 64 << 20, env: { PATH: bbBin } });
    assert.equal(r.status, 0, r.stderr.toString());
    const d = decodePayloadOutput(p, r.stdout);
    assert.ok(d.ok, d.ok ? '' : d.message);
    await checkResults(reqs, d.results, shell);
    assert.deepEqual(
      readdirSync('/tmp').filter((n) => n.startsWith('rampart-pwned')),
      [],
    );
    assert.deepEqual(
      [...tmpEntries()].filter((n) => !before.has(n)),
      [],
      'the temp dir is removed',
    );
  });
}

test('a payload killed mid-run (SIGTERM, as when ssh goes away) removes its temp dir', async (t) => {
  if (!requireCommands(t, 'dash')) return;
  const p = buildPayload([{ op: 'run', argv: ['sleep', '30'], timeoutSec: 60, maxBytes: 10 }]);
  const before = tmpEntries();
  const child = spawn('/bin/sh', ['-s'], { stdio: ['pipe', 'pipe', 'ignore'] });
  child.stdin.end(p.script);
  await new Promise((r) => setTimeout(r, 500));
  const created = [...tmpEntries()].filter((n) => !before.has(n));
  assert.equal(created.length, 1, 'the payload made its temp dir');
  child.kill('SIGTERM');
  await new Promise((r) => child.once('close', r));
  assert.deepEqual(
    [...tmpEntries()].filter((n) => !before.has(n)),
    [],
  );
});

test('quoting: every argument is one single-quoted word', () => {
  assert.equal(shQuote("a'b"), `'a'\\''b'`);
  assert.throws(() => buildPayload([{ op: 'read', path: 'a\0b', maxBytes: 1 }]), /NUL/);
  assert.throws(() => buildPayload([{ op: 'read', path: '/x', maxBytes: -1 }]), /out of range/);
});

let lab: SshLab | null = null;
before(async () => {
  if (isRoot() && spawnSync('sh', ['-c', 'command -v sshd && command -v unshare']).status === 0)
    lab = await startSshLab({ ok: 1, refuseAuth: true, hang: true, changedKey: true, sshdExtra: ['MaxSessions 1'] });
});
after(async () => {
  await lab?.stop();
});

test('over ssh: `ssh HOST sh -s` with the payload on stdin, MaxSessions 1, one ControlMaster connection, host-key checking on', async (t) => {
  if (!requireCommands(t, 'sshd', 'ssh', 'unshare') || !lab) return;
  const reqs = requests();
  const p = buildPayload(reqs);
  const [bin, ...args] = lab.sshArgv(lab.host('ok'));
  const r = spawnSync(bin as string, [...args, 'sh', '-s'], { input: p.script, maxBuffer: 64 << 20, timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr.toString());
  const d = decodePayloadOutput(p, r.stdout);
  assert.ok(d.ok, d.ok ? '' : d.message);
  await checkResults(reqs, d.results, 'ssh');
  // A dependent read reuses the same connection.
  const again = buildPayload([{ op: 'read', path: join(root, 'etc/ssh/sshd_config.d/10-a.conf'), maxBytes: 100 }]);
  const r2 = spawnSync(bin as string, [...args, 'sh', '-s'], { input: again.script, timeout: 30_000 });
  const d2 = decodePayloadOutput(again, r2.stdout);
  assert.ok(d2.ok && d2.results[0]?.ok && d2.results[0].op === 'read' && d2.results[0].bytes.toString() === 'PasswordAuthentication no\n');
  const check = spawnSync(bin as string, [...lab.sshArgv(lab.host('ok'), '-O', 'check').slice(1)], { encoding: 'utf8' });
  assert.match(check.stderr, /Master running/);
});

test('over ssh: a host that refuses auth, hangs or changed its key gives no records, a clear failure, and runs nothing', (t) => {
  const l: SshLab | null = lab;
  if (!requireCommands(t, 'sshd', 'ssh', 'unshare') || !l) return;
  for (const kind of ['refuse-auth', 'hang', 'changed-key'] as const) {
    const p = buildPayload([{ op: 'run', argv: ['touch', '/tmp/rampart-pwned-ssh'], timeoutSec: 5, maxBytes: 10 }]);
    const argv: string[] = l.sshArgv(l.host(kind));
    const r = spawnSync(argv[0] as string, [...argv.slice(1), 'sh', '-s'], { input: p.script, timeout: 30_000 });
    assert.equal(r.status, 255, kind);
    const d = decodePayloadOutput(p, r.stdout);
    assert.ok(!d.ok, kind);
    assert.match(d.message, /no payload start in 0 bytes/, kind);
    assert.deepEqual(d.results, [], kind);
  }
  assert.deepEqual(
    readdirSync('/tmp').filter((n) => n.startsWith('rampart-pwned')),
    [],
  );
});

// ---- the decoder against hostile streams

function validStream(): { p: ReturnType<typeof buildPayload>; out: Buffer } {
  const reqs: PayloadRequest[] = [
    { op: 'read', path: '/etc/hostname', maxBytes: 64 },
    { op: 'glob', pattern: '/etc/ssh/*' },
    { op: 'run', argv: ['id'], timeoutSec: 5, maxBytes: 100 },
  ];
  const p = buildPayload(reqs, 'ab'.repeat(16));
  const N = `RMP1 ${p.nonce}`;
  const out = Buffer.from(
    `motd junk\n${N} begin\n${N} 0 read 5\nhost1\n${N} end 0 ok 5\n${N} 1 glob 11\n/etc/ssh/a\0\n${N} end 1 ok\n` +
      `${N} 2 run 4\nuid\n\n${N} end 2 rc 0 4\n${N} 2 stderr 0\n\n${N} end 2 rc 0 0\n${N} done 3\n`,
  );
  return { p, out };
}

test('decoder: a valid stream, whole or byte by byte, with a login-shell preamble', () => {
  const { p, out } = validStream();
  const d = decodePayloadOutput(p, out);
  assert.ok(d.ok, d.ok ? '' : d.message);
  assert.equal(d.preamble, 10);
  const dec = new PayloadDecoder(p);
  for (const b of out) dec.push(Buffer.from([b]));
  const e = dec.end();
  assert.ok(e.ok);
  assert.deepEqual(e.results, d.results);
});

test('decoder: garbage, wrong nonce, oversize, truncation, reordering and trailing bytes are clear errors', () => {
  const { p, out } = validStream();
  const s = out.toString('latin1');
  const cases: [string, Buffer, RegExp][] = [
    ['garbage', Buffer.from('\x00\xff garbage '.repeat(10000)), /no payload start/],
    ['wrong nonce', Buffer.from(s.replaceAll(p.nonce, 'cd'.repeat(16))), /no payload start/],
    ['oversize announce', Buffer.from(s.replace('0 read 5', '0 read 999999')), /over its limit/],
    ['cut short', out.subarray(0, out.length - 30), /ended early/],
    ['body longer than announced', Buffer.from(s.replace('host1\n', 'host1-extra\n')), /no trailer|bad trailer/],
    ['out of order', Buffer.from(s.replace('0 read 5', '1 read 5')), /out of order/],
    ['bytes after done', Buffer.concat([out, Buffer.from('x')]), /after the end/],
    ['bad status', Buffer.from(s.replace('end 0 ok 5', 'end 0 ok $(x)')), /bad trailer status/],
    ['huge header', Buffer.from(s.replace(`RMP1 ${p.nonce} 0 read 5`, `RMP1 ${p.nonce} 0 read 5${' '.repeat(400)}`)), /longer than/],
  ];
  for (const [name, buf, re] of cases) {
    const d = decodePayloadOutput(p, buf);
    assert.ok(!d.ok, name);
    assert.match(d.message, re, name);
  }
  const big = decodePayloadOutput(p, Buffer.concat([Buffer.from(`RMP1 ${p.nonce} begin\n`), Buffer.alloc(2 << 20, 65)]), {
    maxTotalBytes: 1 << 20,
  });
  assert.ok(!big.ok && /stream larger/.test(big.message));
});

test('decoder: 500 seeded mutations of a valid stream never throw', () => {
  const { p, out } = validStream();
  const r = rng(11);
  let failed = 0;
  for (let i = 0; i < 500; i++) {
    const b = Buffer.from(out);
    const n = 1 + Math.floor(r() * 4);
    for (let k = 0; k < n; k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
    const cut = r() < 0.3 ? b.subarray(0, Math.floor(r() * b.length)) : b;
    const d = decodePayloadOutput(p, cut);
    if (!d.ok) failed++;
  }
  assert.ok(failed > 100, `most mutations break framing (${failed})`);
});
