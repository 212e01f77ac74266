// Runs one command repeatedly and measures wall time and peak RSS.
//
// Wall time is taken in this process around spawn → exit (performance.now()). Peak RSS comes from
// GNU time (`/usr/bin/time -f %M`, Debian package `time`), which reports the largest maximum
// resident set size among the processes it waited for, i.e. the command itself or its largest child.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';

export const GNU_TIME = '/usr/bin/time';

const MAX_CAPTURE = 64 * 1024 * 1024;

/**
 * Runs argv once. Resolves { code, signal, wallS, rssKb, stdout, stderr, timedOut }.
 * Never rejects on a non-zero exit: the caller decides what an exit code means.
 */
export function runOnce(argv, { cwd, env, timeoutS = 600, withRss = true } = {}) {
  const haveTime = withRss && existsSync(GNU_TIME);
  const scratch = mkdtempSync(join(tmpdir(), 'rampart-bench-run-'));
  const timeFile = join(scratch, 'time.txt');
  const full = haveTime ? [GNU_TIME, '-f', '%M', '-o', timeFile, '--', ...argv] : argv;
  return new Promise((resolvePromise, rejectPromise) => {
    const out = [];
    const err = [];
    let outLen = 0;
    let errLen = 0;
    let timedOut = false;
    const t0 = performance.now();
    const child = spawn(full[0], full.slice(1), {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so a timeout can end the whole tree
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutS * 1000);
    child.stdout.on('data', (b) => {
      if (outLen < MAX_CAPTURE) out.push(b);
      outLen += b.length;
    });
    child.stderr.on('data', (b) => {
      if (errLen < MAX_CAPTURE) err.push(b);
      errLen += b.length;
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      rmSync(scratch, { recursive: true, force: true });
      rejectPromise(e);
    });
    child.on('close', (code, signal) => {
      const wallS = (performance.now() - t0) / 1000;
      clearTimeout(timer);
      let rssKb = null;
      if (haveTime) {
        try {
          // GNU time may prefix "Command exited with non-zero status N" before the format line.
          const text = readFileSync(timeFile, 'utf8');
          const lines = text.trim().split('\n');
          const v = Number(lines[lines.length - 1]);
          if (Number.isFinite(v) && v > 0) rssKb = v;
          // GNU time exits 1 when the command is killed by a signal: report the signal instead
          const sig = /terminated by signal (\d+)/.exec(text);
          if (sig && !signal) signal = `signal ${sig[1]}`;
        } catch {
          /* no file: the command did not start */
        }
      }
      rmSync(scratch, { recursive: true, force: true });
      resolvePromise({
        code,
        signal,
        wallS,
        rssKb,
        timedOut,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        stdoutBytes: outLen,
      });
    });
  });
}

export function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * One warm-up run (not timed as a result), then `runs` timed runs.
 * `accept(run)` returns null when the run is valid, or a string saying why it is not (an error the
 * bench reports; an invalid run stops the measurement). `inspect(run)` returns notes for the last run.
 */
export async function measure({ id, label, argv, cwd, env, runs, timeoutS, accept, inspect, log, nodeRssHook }) {
  const m = { id, label, command: argv.join(' '), cwd: cwd ?? null, runs: 0, wallS: [], rssKb: [], exitCodes: [], error: null, notes: {} };
  const say = log ?? (() => {});
  const hookDir = nodeRssHook ? mkdtempSync(join(tmpdir(), 'rampart-bench-rss-')) : null;
  for (let i = 0; i <= runs; i++) {
    const warm = i === 0;
    // The warm-up run of a node command may load a hook that records node's own peak RSS.
    const hooked = warm && nodeRssHook;
    const rssFile = hooked ? join(hookDir, 'rss.txt') : null;
    const r = await runOnce(hooked ? [argv[0], '--import', nodeRssHook, ...argv.slice(1)] : argv, {
      cwd,
      env: hooked ? { ...(env ?? process.env), BENCH_RSS_FILE: rssFile } : env,
      timeoutS,
    });
    if (hooked) {
      try {
        m.nodeSelfRssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
      } catch {
        m.nodeSelfRssMb = null;
      }
    }
    const why = r.timedOut ? `timed out after ${timeoutS} s` : r.signal ? `killed by ${r.signal}` : accept(r);
    if (why) {
      m.error = `${warm ? 'warm-up' : `run ${i}`}: ${why}`;
      say(`  ${id}: ERROR ${m.error}`);
      break;
    }
    say(
      `  ${id}: ${warm ? 'warm-up' : `run ${i}/${runs}`} ${r.wallS.toFixed(3)} s, exit ${r.code}${r.rssKb ? `, ${(r.rssKb / 1024).toFixed(1)} MB` : ''}`,
    );
    if (warm) {
      if (inspect) m.notes = { ...m.notes, ...inspect(r) };
      continue;
    }
    m.runs++;
    m.wallS.push(r.wallS);
    if (r.rssKb) m.rssKb.push(r.rssKb);
    m.exitCodes.push(r.code);
    if (i === runs && inspect) m.notes = { ...m.notes, ...inspect(r) };
  }
  if (hookDir) rmSync(hookDir, { recursive: true, force: true });
  if (m.error) {
    m.median = m.min = m.max = null;
  } else {
    m.median = median(m.wallS);
    m.min = Math.min(...m.wallS);
    m.max = Math.max(...m.wallS);
  }
  m.peakRssMb = m.rssKb.length ? Math.max(...m.rssKb) / 1024 : null;
  return m;
}
