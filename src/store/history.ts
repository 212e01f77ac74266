import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createFileExclusive } from '../util/safe-write.js';
import { stateDirProblem, storeFileProblem } from './state-dir.js';
import { STATUSES } from '../checks/verdict.js';
import type { Report, Score, Summary, TrendPoint } from '../evaluate/report.js';

/**
 * The history store: every audit's full JSON report plus indexed columns, in
 * `<state-dir>/history.sqlite` (SQLite through better-sqlite3). Concurrent audits are safe (WAL,
 * busy timeout, one transaction per run) and so is a killed writer (SQLite's journal).
 */

export const HISTORY_FILE = 'history.sqlite';
const SCHEMA_VERSION = 1;
/** How long a writer waits for another one before giving up (ms). */
const BUSY_TIMEOUT_MS = 30_000;

/** The store cannot be opened, read or written: the CLI reports it in one line (exit 2). */
export class StoreError extends Error {}

export interface RunInfo {
  /** Insertion order: later runs have higher numbers. */
  seq: number;
  runId: string;
  target: { name: string; kind: string };
  startedAt: string;
  collectedAt: string;
  profile: string;
  toolVersion: string;
  score: Score;
  summary: Summary;
}

interface RunRow {
  seq: number;
  run_id: string;
  target_name: string;
  target_kind: string;
  started_at: string;
  collected_at: string;
  profile: string;
  tool_version: string;
  score_before: number | null;
  score_after: number | null;
  summary_json: string;
}

const COLUMNS =
  'seq, run_id, target_name, target_kind, started_at, collected_at, profile, tool_version, score_before, score_after, summary_json';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL UNIQUE,
  target_name TEXT NOT NULL,
  target_kind TEXT NOT NULL,
  started_at TEXT NOT NULL,
  collected_at TEXT NOT NULL,
  profile TEXT NOT NULL,
  tool_version TEXT NOT NULL,
  score_before REAL,
  score_after REAL,
  ${STATUSES.map((s) => `n_${s} INTEGER NOT NULL`).join(',\n  ')},
  summary_json TEXT NOT NULL,
  report_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_target ON runs (target_name, seq);
CREATE INDEX IF NOT EXISTS runs_by_started ON runs (started_at);
`;

function toInfo(r: RunRow): RunInfo {
  return {
    seq: r.seq,
    runId: r.run_id,
    target: { name: r.target_name, kind: r.target_kind },
    startedAt: r.started_at,
    collectedAt: r.collected_at,
    profile: r.profile,
    toolVersion: r.tool_version,
    score: { beforeWaivers: r.score_before, afterWaivers: r.score_after },
    summary: JSON.parse(r.summary_json) as Summary,
  };
}

/** A run id: start time (UTC, to the second) and 6 random hex digits, e.g. 20261128T100000Z-3fa29c. */
export function newRunId(startedAt: string): string {
  const stamp = startedAt.replace(/\.\d+/, '').replace(/[-:]/g, '');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

function message(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  return err instanceof Error ? err.message : String(e);
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Runs `fn` again (with a short random pause) while SQLite says the database is busy, up to the busy timeout. */
function retryWhileBusy<T>(fn: () => T): T {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e) || Date.now() >= deadline) throw e;
      Atomics.wait(pause, 0, 0, 5 + Math.random() * 20);
    }
  }
}

export interface OpenOptions {
  /** Create the state directory (0700) and the database (0600) when missing; else a missing store is an error. */
  create: boolean;
}

export class HistoryStore {
  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
  ) {}

  static exists(stateDir: string): boolean {
    return existsSync(join(stateDir, HISTORY_FILE));
  }

  static open(stateDir: string, opts: OpenOptions): HistoryStore {
    const file = join(stateDir, HISTORY_FILE);
    let db: Database.Database;
    try {
      if (opts.create && !existsSync(stateDir)) {
        mkdirSync(stateDir, { recursive: true, mode: 0o700 });
        chmodSync(stateDir, 0o700);
      }
      const unsafe = stateDirProblem(stateDir) ?? storeFileProblem(file);
      if (unsafe !== null) throw new StoreError(`refusing the history store: ${unsafe}`);
      if (opts.create) createFileExclusive(file);
      else if (!existsSync(file)) throw new StoreError(`no history in ${stateDir} (${HISTORY_FILE} does not exist)`);
      db = new Database(file, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new StoreError(`cannot open the history store ${file}: ${message(e)}`);
    }
    try {
      // Two processes opening a fresh store at once can both hold a shared lock and then want an
      // exclusive one (the WAL switch, the schema): SQLite answers SQLITE_BUSY at once there rather
      // than wait in its busy handler (it would deadlock), so the whole set-up is retried.
      retryWhileBusy(() => db.pragma('journal_mode = WAL'));
      db.pragma('synchronous = FULL');
      const version = retryWhileBusy(() => db.pragma('user_version', { simple: true }) as number);
      if (version > SCHEMA_VERSION) throw new StoreError(`${file} was written by a newer Rampart (store version ${version})`);
      if (version < SCHEMA_VERSION) {
        retryWhileBusy(() =>
          db
            .transaction(() => {
              // another process may have created the schema since the version was read
              if ((db.pragma('user_version', { simple: true }) as number) >= SCHEMA_VERSION) return;
              db.exec(SCHEMA);
              db.pragma(`user_version = ${SCHEMA_VERSION}`);
            })
            .immediate(),
        );
      }
      return new HistoryStore(db, file);
    } catch (e) {
      db.close();
      if (e instanceof StoreError) throw e;
      throw new StoreError(`cannot use the history store ${file}: ${message(e)}`);
    }
  }

  /** Stores one run (the report as given) in its own transaction; returns its run id. */
  record(report: Report): RunInfo {
    for (let attempt = 1; ; attempt++) {
      try {
        return this.insert(report, newRunId(report.startedAt));
      } catch (e) {
        // Two runs started in the same second drew the same random suffix: draw again.
        if (!(e instanceof StoreError && /UNIQUE/.test(e.message)) || attempt === 3) throw e;
      }
    }
  }

  private insert(report: Report, runId: string): RunInfo {
    const insert = this.db.prepare(
      `INSERT INTO runs (run_id, target_name, target_kind, started_at, collected_at, profile, tool_version, score_before, score_after,
         ${STATUSES.map((s) => `n_${s}`).join(', ')}, summary_json, report_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ${STATUSES.map(() => '?').join(', ')}, ?, ?)`,
    );
    try {
      const seq = this.db
        .transaction(() =>
          insert.run(
            runId,
            report.target.name,
            report.target.kind,
            report.startedAt,
            report.collectedAt,
            report.profile,
            report.tool.version,
            report.score.beforeWaivers,
            report.score.afterWaivers,
            ...STATUSES.map((s) => report.summary[s]),
            JSON.stringify(report.summary),
            JSON.stringify(report),
          ),
        )
        .immediate().lastInsertRowid;
      return {
        seq: Number(seq),
        runId,
        target: { name: report.target.name, kind: report.target.kind },
        startedAt: report.startedAt,
        collectedAt: report.collectedAt,
        profile: report.profile,
        toolVersion: report.tool.version,
        score: report.score,
        summary: report.summary,
      };
    } catch (e) {
      throw new StoreError(`cannot write to the history store ${this.file}: ${message(e)}`);
    }
  }

  /** Runs, oldest first; of one target, or of all (ordered by target name, then age). */
  runs(target?: string): RunInfo[] {
    const rows =
      target === undefined
        ? this.db.prepare(`SELECT ${COLUMNS} FROM runs ORDER BY target_name, seq`).all()
        : this.db.prepare(`SELECT ${COLUMNS} FROM runs WHERE target_name = ? ORDER BY seq`).all(target);
    return (rows as RunRow[]).map(toInfo);
  }

  /** The last `n` runs of a target, oldest first. */
  lastRuns(target: string, n: number): RunInfo[] {
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM runs WHERE target_name = ? ORDER BY seq DESC LIMIT ?`).all(target, n) as RunRow[];
    return rows.reverse().map(toInfo);
  }

  /** The trend points of a target's last `n` runs (oldest first); the score is the one after waivers. */
  trend(target: string, n = 10): TrendPoint[] {
    return this.lastRuns(target, n).map((r) => ({
      runId: r.runId,
      startedAt: r.startedAt,
      score: r.score.afterWaivers,
      summary: r.summary,
    }));
  }

  /** A run by its id or an unambiguous prefix of it. */
  find(ref: string): RunInfo {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM runs WHERE run_id = ? OR substr(run_id, 1, length(?)) = ? ORDER BY seq LIMIT 6`)
      .all(ref, ref, ref) as RunRow[];
    const exact = rows.find((r) => r.run_id === ref);
    if (exact) return toInfo(exact);
    if (rows.length === 0) throw new StoreError(`no run "${ref}" in ${this.file} (rampart history lists them)`);
    if (rows.length > 1)
      throw new StoreError(
        `run "${ref}" is ambiguous: ${rows
          .slice(0, 5)
          .map((r) => r.run_id)
          .join(', ')}${rows.length > 5 ? ', …' : ''}`,
      );
    return toInfo(rows[0]!);
  }

  /** The run before `run` of the same target, if any. */
  previous(run: RunInfo): RunInfo | null {
    const row = this.db
      .prepare(`SELECT ${COLUMNS} FROM runs WHERE target_name = ? AND seq < ? ORDER BY seq DESC LIMIT 1`)
      .get(run.target.name, run.seq) as RunRow | undefined;
    return row ? toInfo(row) : null;
  }

  /** The full stored report of a run. */
  report(runId: string): Report {
    const row = this.db.prepare('SELECT report_json FROM runs WHERE run_id = ?').get(runId) as { report_json: string } | undefined;
    if (!row) throw new StoreError(`no run "${runId}" in ${this.file}`);
    return JSON.parse(row.report_json) as Report;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
}
