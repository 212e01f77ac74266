// The Fail2Ban comparison (issue 9 §6): on a generated offline root (conf-gen.ts), the truth is the
// real fail2ban 1.0.2 — `fail2ban-client -c CONFDIR -d` and, for a sample, a real start of
// fail2ban-server (socket, pid file, log and database in a temp dir, `-x`, killed after) — run in a
// private mount and network namespace (unshare -m -n) where the root's /var/log is bound on /var/log,
// so the paths fail2ban globs are the root's, and where any firewall action touches only an empty
// network namespace. Rampart is the offline collector and the f2b.* checks on the same root.
// Shared by test/fail2ban/agree.test.ts and bench/agree-f2b.ts.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsTarget } from '../../src/target/fs-target.js';
import { DEFAULT_CONFIG } from '../../src/config/schema.js';
import { collectFail2ban } from '../../src/collect/fail2ban.js';
import { collectLogging } from '../../src/collect/logging.js';
import type { LoggingFacts } from '../../src/facts/logging.js';
import { parseFail2banDump, type Dump } from '../../src/collect/parse/fail2ban-dump.js';
import { parsePortSpec, parseServices } from '../../src/collect/parse/fail2ban-ports.js';
import sshdJailCheck from '../../src/checks/f2b/sshd-jail.js';
import logSourceCheck from '../../src/checks/f2b/log-source.js';
import runningCheck, { logRoutes, startRefusal } from '../../src/checks/f2b/running.js';
import type { Fail2banFacts } from '../../src/facts/fail2ban.js';
import type { Status } from '../../src/checks/verdict.js';
import { ctx } from '../helpers.js';
import { sshdOn } from '../checks/f2b/facts.js';
import { generateRoot, writeRoot, type GeneratedRoot } from './conf-gen.js';

export interface Truth {
  dumpCode: number;
  dumpOut: string;
  dump: Dump;
  /** Jails the client skips ("Jail 'X' skipped, because of wrong configuration"). */
  configErrors: Record<string, string>;
  /** "Have not found any log file for X jail": a warning in the dump, fatal at start. */
  noLogJails: string[];
  /** A real start: its exit code, its output and the jails the server then lists. */
  start: { code: number; out: string; jails: string[] } | null;
}

const SCRIPT = `
set -u
mount --bind "$ROOT/var/log" /var/log || exit 90
if [ "$HIDE_PY" = 1 ] && [ -d /usr/lib/python3/dist-packages/systemd ]; then mount -t tmpfs none /usr/lib/python3/dist-packages/systemd || exit 91; fi
fail2ban-client -c "$CONF" -d > "$T/dump.out" 2>&1; echo $? > "$T/dump.rc"
if [ "$START" = 1 ]; then
  fail2ban-client -c "$CONF" -x start > "$T/start.out" 2>&1; echo $? > "$T/start.rc"
  fail2ban-client -c "$CONF" status > "$T/status.out" 2>&1
  if [ -f "$T/f.pid" ]; then kill -9 "$(cat "$T/f.pid")" 2>/dev/null; fi
fi
exit 0
`;

function run(cmd: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: { ...process.env, ...env }, timeout: timeoutMs }, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

/** Runs the real client (and server) on the root. */
export async function truthOf(root: string, g: GeneratedRoot, start: boolean): Promise<Truth> {
  const t = mkdtempSync(join(tmpdir(), 'rampart-f2b-run-'));
  const conf = join(root, 'etc/fail2ban');
  // Only the server's own files move to the temp dir; no jail setting changes.
  rmSync(join(conf, 'fail2ban.d/99-agree-harness.local'), { force: true });
  writeFileSync(
    join(conf, 'fail2ban.d/99-agree-harness.local'),
    `[Definition]\nsocket = ${t}/f.sock\npidfile = ${t}/f.pid\nlogtarget = ${t}/f.log\ndbfile = :memory:\n`,
  );
  try {
    await run(
      'unshare',
      ['-m', '-n', 'sh', '-c', SCRIPT],
      { ROOT: root, CONF: conf, T: t, START: start ? '1' : '0', HIDE_PY: g.noPythonSystemd ? '1' : '0' },
      40_000,
    );
    const read = (n: string) => (existsSync(join(t, n)) ? readFileSync(join(t, n), 'utf8') : '');
    const dumpOut = read('dump.out');
    const dump = parseFail2banDump(dumpOut);
    const configErrors = dump.configErrors;
    const noLogJails = [...dumpOut.matchAll(/Have not found any log file for (\S+) jail/g)].map((m) => m[1]!);
    let st: Truth['start'] = null;
    if (start) {
      const list = /Jail list:\s*(.*)/.exec(read('status.out'));
      st = {
        code: Number(read('start.rc').trim() || '-1'),
        out: read('start.out'),
        jails: list ? list[1]!.split(/[,\s]+/).filter(Boolean) : [],
      };
    }
    return { dumpCode: Number(read('dump.rc').trim() || '-1'), dumpOut, dump, configErrors, noLogJails, start: st };
  } finally {
    try {
      const pid = Number(readFileSync(join(t, 'f.pid'), 'utf8'));
      if (pid > 0) process.kill(pid, 'SIGKILL');
    } catch {
      /* no server left */
    }
    rmSync(t, { recursive: true, force: true });
  }
}

/** fail2ban's own MyTime.str2seconds for every value at once (one interpreter start). */
export function pyStr2sec(values: string[]): Map<string, number | null> {
  const client = execFileSync('sh', ['-c', 'command -v fail2ban-client'], { encoding: 'utf8' }).trim();
  const py = /^#!\s*(\S+)/.exec(readFileSync(client, 'utf8').split('\n')[0] ?? '')?.[1] ?? 'python3';
  const src =
    'import json,sys\nfrom fail2ban.server.mytime import MyTime\nout={}\nfor v in json.load(sys.stdin):\n  try: out[v]=float(MyTime.str2seconds(v))\n  except Exception: out[v]=None\nprint(json.dumps(out))\n';
  const res = JSON.parse(execFileSync(py, ['-c', src], { input: JSON.stringify(values), encoding: 'utf8' })) as Record<
    string,
    number | null
  >;
  return new Map(Object.entries(res));
}

const BACKEND_OK = /^(auto|polling|pyinotify|gamin|systemd)(\[.*\])?$/;

/** Whether `fail2ban-client start` would exit 0, read from the dump where no real start was made. */
export function predictStart(t: Truth, g: GeneratedRoot, secs: Map<string, number | null>): { ok: boolean; why: string } {
  if (t.dumpCode !== 0) return { ok: false, why: `dump exit ${t.dumpCode}` };
  if (t.noLogJails.length) return { ok: false, why: `no log file: ${t.noLogJails.join(',')}` };
  for (const j of Object.values(t.dump.jails)) {
    if (!BACKEND_OK.test(j.backend)) return { ok: false, why: `backend ${j.backend}` };
    if (j.backend.startsWith('systemd') && g.noPythonSystemd) return { ok: false, why: 'systemd backend without python3-systemd' };
    for (const k of ['maxretry', 'maxmatches'])
      if (k in j.options && typeof j.options[k] !== 'number') return { ok: false, why: `${k} ${String(j.options[k])}` };
    for (const k of ['bantime', 'findtime'])
      if (k in j.options && secs.get(String(j.options[k])) == null) return { ok: false, why: `${k} ${String(j.options[k])}` };
  }
  return { ok: true, why: 'dump clean' };
}

const loggingOfFacts = new WeakMap<Fail2banFacts, LoggingFacts>();

/** The logging facts collected from the same root as `f` (the f2b checks read the journal and rsyslog's routes there). */
export function loggingFor(f: Fail2banFacts): LoggingFacts {
  const l = loggingOfFacts.get(f);
  if (!l) throw new Error('no logging facts for these fail2ban facts (not from rampartOf)');
  return l;
}

export async function rampartOf(root: string): Promise<Fail2banFacts> {
  const ctx = { target: new FsTarget({ root, name: 'agree' }), config: DEFAULT_CONFIG, commandTimeoutMs: 10_000 };
  const [f, l] = await Promise.all([collectFail2ban(ctx), collectLogging(ctx)]);
  if (f.state !== 'collected') throw new Error(`fail2ban not collected: ${JSON.stringify(f)}`);
  if (l.state !== 'collected') throw new Error(`logging not collected: ${JSON.stringify(l)}`);
  loggingOfFacts.set(f.value, l.value);
  return f.value;
}

export interface Item {
  name: string;
  truth: string;
  ours: string;
  agree: boolean;
  /** A check item where Rampart passes and the truth does not. */
  falsePass: boolean;
  note: string;
}

const SERVICES = parseServices(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'fail2ban', 'debian12-base', 'etc', 'services'), 'utf8'),
);
const SSHD_PORT = 22;
const SSHD_LINE = /\bsshd\[\d+\]:/;

export function timeValues(t: Truth): string[] {
  return Object.values(t.dump.jails).flatMap((j) => ['bantime', 'findtime'].filter((k) => k in j.options).map((k) => String(j.options[k])));
}

/** Item-by-item comparison of one case. */
export function compareCase(g: GeneratedRoot, root: string, t: Truth, f: Fail2banFacts, secs: Map<string, number | null>): Item[] {
  const items: Item[] = [];
  const predicted = predictStart(t, g, secs);
  const starts = t.start ? t.start.code === 0 : predicted.ok;
  const d = t.dump.jails.sshd;
  const sshdRuns = starts && d !== undefined && !t.configErrors.sshd && (!t.start || t.start.jails.includes('sshd'));
  const add = (name: string, truth: unknown, ours: unknown, note = '') => {
    const ts = JSON.stringify(truth);
    const os = JSON.stringify(ours);
    items.push({ name, truth: ts, ours: os, agree: ts === os, falsePass: false, note });
  };
  if (t.start) add('harness:start-prediction', predicted.ok, t.start.code === 0, predicted.why);

  const ok = f.config.status === 'ok';
  const j = f.sshdJail;
  add(
    'starts',
    starts,
    ok && startRefusal(f, logRoutes(loggingFor(f))) === null,
    t.start
      ? t.start.out
          .split('\n')
          .filter((l) => /ERROR|NOK/.test(l))
          .join(' | ')
          .slice(0, 200)
      : predicted.why,
  );
  if (t.dumpCode === 0) {
    add('sshd.enabled', d !== undefined && !t.configErrors.sshd, ok && j?.enabled.value === true && !j.configError);
    if (d && ok && j && !j.configError) {
      const num = (v: unknown) => (typeof v === 'number' ? v : null);
      add('sshd.maxretry', num(d.options.maxretry), j.maxretry.value);
      for (const k of ['bantime', 'findtime'] as const)
        add(`sshd.${k}`, secs.get(String(d.options[k])) ?? null, j[k].value, String(d.options[k]));
      add('sshd.backend', d.backend, j.backend.value);
      add('sshd.port', d.actions[0]?.port ?? null, d.actions[0] ? j.port.text : null);
      add(
        'sshd.actions',
        d.actions.map((a) => a.name),
        j.actions.value,
      );
      add(
        'sshd.logfiles',
        [...d.logpaths].sort(),
        (j.backend.value ?? '').startsWith('systemd') ? [] : j.logFiles.flatMap((l) => l.matches.map((m) => m.path)).sort(),
      );
    }
  }

  // The checks: pass or not, against the guide's rule applied to what fail2ban really does.
  const o = ctx({ live: false });
  const check = (name: string, truthPass: boolean, status: Status, summary: string) => {
    const agree = truthPass === (status === 'pass');
    items.push({
      name,
      truth: truthPass ? 'pass' : 'not-pass',
      ours: status,
      agree,
      falsePass: !truthPass && status === 'pass',
      note: summary.slice(0, 160),
    });
  };
  const running = runningCheck.evaluate({ fail2ban: f, logging: loggingFor(f) }, o);
  check('f2b.running', starts && !g.masked && !g.disabledAtBoot, running.status, running.summary);

  let jailPass = false;
  let logPass = false;
  if (sshdRuns && d) {
    const mr = d.options.maxretry;
    const bt = secs.get(String(d.options.bantime)) ?? null;
    const ft = secs.get(String(d.options.findtime)) ?? null;
    const allports = /allports/.test(d.actions[0]?.name ?? '');
    const p = parsePortSpec(d.actions[0]?.port ?? '', SERVICES);
    const covers = allports || p.all || p.ranges.some(([a, b]) => a <= SSHD_PORT && SSHD_PORT <= b);
    jailPass =
      typeof mr === 'number' &&
      mr <= 3 &&
      bt !== null &&
      (bt < 0 || bt >= 3600) &&
      ft !== null &&
      ft >= 600 &&
      covers &&
      p.unresolved.length === 0;
    logPass =
      d.backend.startsWith('systemd') ||
      d.logpaths.some((lp) => {
        try {
          return SSHD_LINE.test(readFileSync(join(root, lp), 'latin1'));
        } catch {
          return false;
        }
      });
  }
  const sj = sshdJailCheck.evaluate({ fail2ban: f, sshd: sshdOn([SSHD_PORT]), logging: loggingFor(f) }, o);
  check('f2b.sshd-jail', jailPass, sj.status, sj.summary);
  const ls = logSourceCheck.evaluate({ fail2ban: f, logging: loggingFor(f) }, o);
  check('f2b.log-source', logPass, ls.status, ls.summary);
  return items;
}

/** One generated case end to end: root, truth, Rampart, items (the root is removed after). */
export async function runCase(
  g: GeneratedRoot,
  writeRoot: (g: GeneratedRoot) => string,
  start: boolean,
): Promise<{ root: string; truth: Truth; facts: Fail2banFacts; cleanup: () => void }> {
  const root = writeRoot(g);
  const facts = await rampartOf(root);
  const truth = await truthOf(root, g, start);
  return { root, truth, facts, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Generates and runs the cases seed0…seed0+n-1 on `jobs` workers (every `startEvery`'th case also
 * really started), sorted by seed, with the time values of all their dumps evaluated by Python once.
 */
export async function runCases(
  seed0: number,
  n: number,
  startEvery: number,
  jobs: number,
): Promise<{ done: { g: GeneratedRoot; r: Awaited<ReturnType<typeof runCase>> }[]; secs: Map<string, number | null> }> {
  const done: { g: GeneratedRoot; r: Awaited<ReturnType<typeof runCase>> }[] = [];
  let next = seed0;
  const worker = async () => {
    while (next < seed0 + n) {
      const seed = next++;
      const g = generateRoot(seed);
      done.push({ g, r: await runCase(g, writeRoot, (seed - seed0) % startEvery === 0) });
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  done.sort((a, b) => a.g.seed - b.g.seed);
  return { done, secs: pyStr2sec([...new Set(done.flatMap((c) => timeValues(c.r.truth)))]) };
}
