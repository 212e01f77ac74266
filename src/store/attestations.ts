import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Attestation, AttestationFacts } from '../facts/attestations.js';
import type { SignoffFacts, StoredSignoff } from '../facts/signoffs.js';
import { checkDocument, parseSignedDocument, type SignedDocument } from '../sign/signoff.js';
import { parseChecklistBoxes } from '../sign/checklist-boxes.js';
import { StoreError } from './history.js';
import { stateDirProblem } from './state-dir.js';
import { writeFileSafe } from '../util/safe-write.js';

/**
 * Attestations and sign-offs in the state directory (beside history.sqlite):
 *
 * - `attestations.json` — `{ "version": 1, "attestations": [...] }`, append-only: a new answer for the
 *   same target and id supersedes the earlier one (the last recorded wins) and both stay on record.
 *   Writers take `attestations.json.lock` (O_EXCL), write a temporary file (0600), fsync and rename it:
 *   a killed writer leaves the old file intact, concurrent writers do not lose each other's answers.
 * - `signoffs/<target>/<signedAt>-<sha8>.signoff.json` — one signed document per sign-off (0600).
 *
 * Directories are created 0700, files 0600.
 */

export const ATTESTATIONS_FILE = 'attestations.json';
export const SIGNOFFS_DIR = 'signoffs';
const LOCK_WAIT_MS = 10_000;
const STALE_LOCK_MS = 60_000;

interface AttestationFile {
  version: 1;
  attestations: Attestation[];
}

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}

export function ensureStateDir(dir: string): void {
  try {
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      chmodSync(dir, 0o700);
    }
  } catch (e) {
    throw new StoreError(`cannot create the state directory ${dir}: ${errText(e)}`);
  }
  guardStateDir(dir);
}

/** Refuses a symlinked, foreign-owned or group/world-writable state directory (attestations there could be forged). */
function guardStateDir(dir: string): void {
  const why = stateDirProblem(dir);
  if (why !== null) throw new StoreError(`refusing the state directory: ${why}`);
}

function isAttestation(v: unknown): v is Attestation {
  if (typeof v !== 'object' || v === null) return false;
  const a = v as Record<string, unknown>;
  const str = (k: string) => typeof a[k] === 'string';
  const strOrNull = (k: string) => a[k] === null || typeof a[k] === 'string';
  return (
    str('target') &&
    str('id') &&
    (a.status === 'pass' || a.status === 'fail') &&
    str('by') &&
    str('date') &&
    str('expires') &&
    strOrNull('note') &&
    strOrNull('evidence') &&
    str('recordedAt')
  );
}

/** Every recorded attestation (all targets, superseded ones too), in recording order. */
export function readAllAttestations(stateDir: string): Attestation[] {
  const file = join(stateDir, ATTESTATIONS_FILE);
  guardStateDir(stateDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new StoreError(`cannot read ${file}: ${errText(e)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (e) {
    throw new StoreError(`${file} is not valid JSON: ${errText(e)}`);
  }
  const list = (data as Partial<AttestationFile> | null)?.attestations;
  if (!Array.isArray(list) || (data as AttestationFile).version !== 1)
    throw new StoreError(`${file} is not a Rampart attestation file (version 1)`);
  const bad = list.findIndex((a) => !isAttestation(a));
  if (bad !== -1) throw new StoreError(`${file}: attestation #${bad + 1} is malformed`);
  return list;
}

/** The current attestation per id for a target (the last recorded wins), sorted by id. */
export function currentAttestations(all: readonly Attestation[], target: string | null): Attestation[] {
  const last = new Map<string, Attestation>();
  for (const a of all) if (target === null || a.target === target) last.set(`${a.target}\u0000${a.id}`, a);
  return [...last.values()].sort((a, b) =>
    a.target === b.target ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.target < b.target ? -1 : 1,
  );
}

export function loadAttestationFacts(stateDir: string, target: string): AttestationFacts {
  return { store: join(stateDir, ATTESTATIONS_FILE), target, attestations: currentAttestations(readAllAttestations(stateDir), target) };
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock<T>(lockFile: string, fn: () => T): T {
  const deadline = Date.now() + LOCK_WAIT_MS;
  let fd: number | null = null;
  while (fd === null) {
    try {
      fd = openSync(lockFile, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new StoreError(`cannot lock ${lockFile}: ${errText(e)}`);
      try {
        if (Date.now() - statSync(lockFile).mtimeMs > STALE_LOCK_MS) unlinkSync(lockFile);
      } catch {
        // the holder released it meanwhile
      }
      if (Date.now() > deadline) throw new StoreError(`${lockFile} is held by another rampart process (remove it if none runs)`);
      sleep(50);
    }
  }
  try {
    return fn();
  } finally {
    closeSync(fd);
    try {
      unlinkSync(lockFile);
    } catch {
      // already gone
    }
  }
}

/** Writes a file atomically: a random temporary file (0600, O_EXCL|O_NOFOLLOW), fsync, rename. */
export function writeFileAtomic(file: string, text: string | Buffer): void {
  try {
    writeFileSafe(file, text);
  } catch (e) {
    throw new StoreError(`cannot write ${file}: ${errText(e)}`);
  }
}

/** Appends an attestation (it supersedes an earlier one of the same target and id). */
export function recordAttestation(stateDir: string, a: Attestation): void {
  ensureStateDir(stateDir);
  const file = join(stateDir, ATTESTATIONS_FILE);
  withLock(`${file}.lock`, () => {
    const all = readAllAttestations(stateDir);
    const data: AttestationFile = { version: 1, attestations: [...all, a] };
    writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`);
  });
}

/** A target name as one safe path component ('/', '%', leading dots and NUL are encoded). */
export function targetDirName(target: string): string {
  return encodeURIComponent(target).replace(/\./g, '%2E') || '%00';
}

/** The copy of the signed document kept beside a stored sign-off (…signoff.json → …document). */
export function signoffDocumentCopy(signoffFile: string): string {
  return signoffFile.replace(/\.signoff\.json$/, '.document');
}

/**
 * Stores a signed document in the state directory; returns its path. A checklist's bytes are kept
 * beside it (0600) so that docs.signed-checklist can see which boxes were ticked when it was signed.
 */
export function storeSignoff(stateDir: string, doc: SignedDocument, documentBytes?: Buffer): string {
  const dir = join(stateDir, SIGNOFFS_DIR, targetDirName(doc.signoff.host));
  ensureStateDir(join(stateDir, SIGNOFFS_DIR));
  ensureStateDir(dir);
  const stamp = doc.signoff.signedAt.replace(/[-:]/g, '').replace(/\.\d+/, '');
  const file = join(dir, `${stamp}-${doc.signoff.document.sha256.slice(0, 8)}-${randomBytes(3).toString('hex')}.signoff.json`);
  if (documentBytes !== undefined && doc.signoff.document.kind === 'checklist') writeFileAtomic(signoffDocumentCopy(file), documentBytes);
  writeFileAtomic(file, `${JSON.stringify(doc, null, 2)}\n`);
  return file;
}

function checklistOf(file: string, doc: SignedDocument): Pick<StoredSignoff, 'boxes' | 'boxesError'> {
  if (doc.signoff.document.kind !== 'checklist') return { boxes: null, boxesError: null };
  const copy = signoffDocumentCopy(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(copy);
  } catch (e) {
    return { boxes: null, boxesError: `the signed checklist was not kept in the state directory (${copy}: ${errText(e)})` };
  }
  const same = checkDocument(doc.signoff, bytes);
  if (!same.ok) return { boxes: null, boxesError: `${copy}: ${same.reason}` };
  const boxes = parseChecklistBoxes(bytes);
  return boxes === null
    ? { boxes: null, boxesError: `${copy} is not a checklist rendered by rampart checklist` }
    : { boxes, boxesError: null };
}

/** The sign-offs stored for a target (unverified; malformed files are reported, not dropped). */
export function loadSignoffFacts(stateDir: string, target: string): SignoffFacts {
  const dir = join(stateDir, SIGNOFFS_DIR, targetDirName(target));
  guardStateDir(stateDir);
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.signoff.json'))
      .sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { store: dir, target, signoffs: [] };
    throw new StoreError(`cannot read ${dir}: ${errText(e)}`);
  }
  const signoffs: StoredSignoff[] = names.map((n) => {
    const file = join(dir, n);
    try {
      const parsed = parseSignedDocument(JSON.parse(readFileSync(file, 'utf8')) as unknown);
      return parsed.ok
        ? { file, doc: parsed.doc, error: null, ...checklistOf(file, parsed.doc) }
        : { file, doc: null, error: parsed.reason };
    } catch (e) {
      return { file, doc: null, error: errText(e) };
    }
  });
  return { store: dir, target, signoffs };
}
