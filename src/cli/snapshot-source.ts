import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { hostname } from 'node:os';
import { replaySnapshot } from '../audit.js';
import type { Check } from '../checks/define.js';
import type { Config } from '../config/schema.js';
import type { FactsSnapshot } from '../facts/index.js';
import type { StateSource } from '../store/state-facts.js';
import { FsTarget } from '../target/fs-target.js';
import { validTargetName } from '../target/name.js';
import { collectWatched } from './watchdog.js';
import { loadConfig } from './config-load.js';
import { TargetError, UsageError } from './errors.js';
import type { Io } from './io.js';
import { writeOut } from './output.js';
import { collectionProgress, type Progress } from './progress.js';
import { parseSnapshot, serializeSnapshot } from './snapshot-io.js';
import { readRegularFile } from '../util/safe-read.js';

/** A facts snapshot of a large host is tens of megabytes; 512 MiB bounds a hostile --facts. */
const MAX_SNAPSHOT_BYTES = 512 * 1024 * 1024;

/** The arguments that say what is audited (audit and checklist take them). */
export interface SnapshotArgs {
  root?: string | undefined;
  facts?: string | undefined;
  config?: string | undefined;
  'save-facts'?: string | undefined;
  'target-name'?: string | undefined;
}

export interface SnapshotSettings {
  /** The selected checks: their needs decide what is collected. */
  checks: readonly Check[];
  /** `--now`, when given. */
  now: Date | undefined;
  /** Per collector (s). */
  timeoutS: number;
  /** Where attestations and sign-offs are read (the same state directory as the history). */
  state: StateSource;
  /** The progress line the collection shows (progressOn: none unless stderr is a terminal). */
  progress?: Progress;
}

/** Each command a collector runs times out after this (ms). */
const COMMAND_TIMEOUT_MS = 15_000;

/**
 * The snapshot the arguments name, and the configuration to evaluate it with: `--facts FILE` replays a
 * saved one (with its recorded configuration unless `--config` is given); else the facts are collected
 * from `--root DIR` or this host (`--save-facts FILE` saves them).
 */
export async function snapshotFromArgs(
  args: SnapshotArgs,
  io: Io,
  settings: SnapshotSettings,
): Promise<{ snapshot: FactsSnapshot; config: Config }> {
  if (args.facts !== undefined) {
    if (args['target-name'] !== undefined)
      throw new UsageError('--target-name names a --root or live audit; a saved snapshot (--facts) keeps the name it was collected with');
    const file = resolve(io.cwd, args.facts);
    let text: string;
    try {
      text = await readRegularFile(file, MAX_SNAPSHOT_BYTES);
    } catch (e) {
      throw new TargetError(`--facts ${args.facts}: ${(e as Error).message}`);
    }
    const snapshot = replaySnapshot(parseSnapshot(text, args.facts), settings.state);
    const config = args.config !== undefined ? await loadConfig(io, args.config, null) : snapshot.config;
    return { snapshot, config };
  }
  const given = args['target-name'];
  const bad = given === undefined ? null : validTargetName(given);
  if (bad !== null) throw new UsageError(bad);
  let target: FsTarget;
  let root: string | null = null;
  if (args.root !== undefined) {
    root = resolve(io.cwd, args.root);
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new TargetError(`--root ${args.root}: not a directory`);
    target = new FsTarget({ root, name: args.root });
  } else {
    target = new FsTarget({ name: hostname() });
  }
  const config = await loadConfig(io, args.config, target);
  // The collectors run in a worker thread under a watchdog: --timeout holds even for synchronous code.
  const line = settings.progress ? collectionProgress(settings.progress) : null;
  const { snapshot, stopped } = await collectWatched(
    {
      root,
      name: target.name,
      config,
      checkIds: settings.checks.map((c) => c.id),
      targetName: given,
      state: settings.state,
      now: settings.now,
      collectorTimeoutMs: settings.timeoutS * 1000,
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
      env: { ...io.env },
    },
    target,
    line?.update,
  ).finally(() => line?.done());
  if (stopped.length > 0)
    io.stderr(
      `rampart: the collection was stopped after ${settings.timeoutS} s (--timeout): ${stopped.join(', ')} did not finish; what needs them is unknown\n`,
    );
  if (args['save-facts'] !== undefined) await writeOut(io, args['save-facts'], serializeSnapshot(snapshot));
  return { snapshot, config };
}
