import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import type { TestContext } from 'node:test';
import { run } from '../src/cli/run.js';
import type { Io } from '../src/cli/io.js';
import { collected, type Fact } from '../src/facts/fact.js';
import type { FactKey, FactsSnapshot, FactValues } from '../src/facts/index.js';
import { DEFAULT_CONFIG, type Config } from '../src/config/schema.js';
import type { EvalContext } from '../src/checks/define.js';

let testStateDir: string | null = null;
/** One history store per test process, removed at exit: tests never write to /var/lib/rampart. */
export function testStateDirOf(): string {
  if (testStateDir === null) {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-state-test-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    testStateDir = dir;
  }
  return testStateDir;
}

const DATE_ARG = /(^|[^\d])\d{4}-\d{2}-\d{2}([^\d]|$)/;

/**
 * The date-bomb rule: an argument that carries a calendar date (`--date 2026-11-20`, `--expires
 * 2027-01-01`…) is judged against "today", so a call with one must fix the clock (`--now`, or
 * RAMPART_NOW in opts.env); else the test turns red on a later day. runCli refuses such a call.
 */
export function assertNoDateBomb(argv: string[], env: Record<string, string | undefined> = {}): void {
  if (argv.includes('--now') || argv.some((a) => a.startsWith('--now=')) || env.RAMPART_NOW !== undefined) return;
  const dated = argv.find((a) => DATE_ARG.test(a));
  if (dated !== undefined)
    throw new Error(
      `date bomb: runCli(${JSON.stringify(argv)}) passes the date "${dated}" but no --now: give --now (or env RAMPART_NOW) so the test does not depend on today's date`,
    );
}

export async function runCli(
  argv: string[],
  opts: { cwd?: string; env?: Record<string, string>; io?: Partial<Pick<Io, 'isTTY' | 'stderrIsTTY' | 'columns' | 'stderrColumns'>> } = {},
) {
  assertNoDateBomb(argv, opts.env);
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: { RAMPART_STATE_DIR: testStateDirOf(), ...opts.env },
    cwd: opts.cwd ?? process.cwd(),
    isTTY: false,
    ...opts.io,
  });
  return { code, stdout, stderr };
}

export type TreeEntry = string | Buffer | { symlink: string } | { dir: true; mode?: number } | { content: string | Buffer; mode: number };

/** Builds a small root tree in a fresh temp dir; removed when the test ends if `t` is given. */
export function makeTree(files: Record<string, TreeEntry>, t?: TestContext): string {
  const root = mkdtempSync(join(tmpdir(), 'rampart-test-'));
  for (const [rel, entry] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    if (typeof entry === 'string' || Buffer.isBuffer(entry)) writeFileSync(p, entry);
    else if ('symlink' in entry) symlinkSync(entry.symlink, p);
    else if ('dir' in entry) {
      mkdirSync(p, { recursive: true });
      if (entry.mode !== undefined) chmodSync(p, entry.mode);
    } else {
      writeFileSync(p, entry.content);
      chmodSync(p, entry.mode);
    }
  }
  t?.after(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** Whether a command exists on PATH. */
export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * For tests that need a real component: skipped on a developer machine without it, but in CI
 * (CI=true) a missing component fails the test.
 */
export function requireCommands(t: TestContext, ...cmds: string[]): boolean {
  const missing = cmds.filter((c) => !hasCommand(c));
  if (missing.length === 0) return true;
  if (process.env.CI === 'true') throw new Error(`CI: required component missing: ${missing.join(', ')}`);
  t.skip(`needs ${missing.join(', ')}`);
  return false;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function ctx(over: Partial<Omit<EvalContext, 'config'>> & { config?: Partial<Config> } = {}): EvalContext {
  return {
    now: over.now ?? new Date('2026-11-28T10:00:00Z'),
    profile: over.profile ?? 'guide',
    live: over.live ?? true,
    config: { ...DEFAULT_CONFIG, ...over.config },
  };
}

/** A snapshot with the given facts (collected), for end-to-end evaluation tests. */
export function snapshotOf(facts: { [K in FactKey]?: FactValues[K] | Fact<FactValues[K]> }, live = true): FactsSnapshot {
  const map: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(facts)) {
    map[k] = v && typeof v === 'object' && 'state' in v ? v : collected(v);
  }
  return {
    schemaVersion: 1,
    tool: { name: 'rampart', version: 'test' },
    collectedAt: '2026-11-28T10:00:00.000Z',
    target: { kind: 'local', name: 'test', root: '/' },
    live,
    config: DEFAULT_CONFIG,
    timings: {},
    facts: map,
  };
}

/** Whether a TCP connection to 127.0.0.1:`port` is accepted now (a test server is up). */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

/** A free TCP port on 127.0.0.1 (bound, read, released) for a test server. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/**
 * The environment for a real component that cannot run under libfaketime: the suite's year-ahead
 * run (`faketime`, see CONTRIBUTING.md) preloads it into every child, and redis-server's jemalloc
 * aborts at start with it ("Unexpected recursive calls to clock_gettime()"). Such a component runs
 * on the real clock; Rampart and the tests keep the moved one.
 */
export function realClockEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  if (env.LD_PRELOAD?.includes('faketime')) {
    delete env.LD_PRELOAD;
    delete env.FAKETIME;
  }
  return env;
}
