import { canonicalize } from './canonical-json.js';
import { fingerprint, loadPublicKey, sha256Hex, signBytes, verifyBytes, KeyError } from './ed25519.js';
import type { KeyObject } from 'node:crypto';

/**
 * A sign-off: a person's Ed25519 signature over the canonical JSON (RFC 8785) of an envelope that
 * names the signed document by its SHA-256, the signer, the role, the time and the host. Pure except
 * for node:crypto.
 *
 * The document digest is over the canonical JSON of the document when it is JSON (a report from
 * `audit --format json`, a checklist from `checklist --format json`), so re-indenting it does not
 * break the sign-off but any change of content does; over its bytes otherwise (a Markdown checklist).
 */

export const SIGNOFF_TYPE = 'rampart-signoff';
export const SIGNOFF_VERSION = 1;

export type DocumentKind = 'report' | 'checklist' | 'document';

export interface SignoffEnvelope {
  type: typeof SIGNOFF_TYPE;
  version: typeof SIGNOFF_VERSION;
  document: {
    kind: DocumentKind;
    /** The document's file name (no directory), looked up beside the signed document by `verify`. */
    file: string;
    /** 'jcs': SHA-256 of the document's RFC 8785 canonical JSON; 'bytes': of its bytes. */
    digest: 'jcs' | 'bytes';
    sha256: string;
    /** The report's collection time, when the document is a report or a checklist. */
    collectedAt: string | null;
  };
  host: string;
  signer: { name: string; role: string | null };
  signedAt: string;
  tool: { name: 'rampart'; version: string };
}

export interface SignedDocument {
  signoff: SignoffEnvelope;
  algorithm: 'Ed25519';
  /** SHA-256 of the signer's public key (SPKI DER), hex. */
  keyFingerprint: string;
  /** Base64 Ed25519 signature over the UTF-8 bytes of canonicalize(signoff). */
  signature: string;
}

export class DocumentError extends Error {}

export interface DocumentInfo {
  kind: DocumentKind;
  host: string | null;
  digest: 'jcs' | 'bytes';
  sha256: string;
  collectedAt: string | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a document is and its digest: JSON reports and checklists name their host (target.name). */
export function describeDocument(bytes: Buffer): DocumentInfo {
  const text = bytes.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch {
    // A Markdown checklist names its host in a marker comment (percent-encoded).
    const m = /^<!-- rampart-checklist host="([^"\s]*)" collectedAt="([^"\s]*)" -->$/m.exec(text);
    const decode = (s: string | undefined) => {
      try {
        return s === undefined ? null : decodeURIComponent(s);
      } catch {
        return null;
      }
    };
    return {
      kind: m ? 'checklist' : 'document',
      host: decode(m?.[1]),
      digest: 'bytes',
      sha256: sha256Hex(bytes),
      collectedAt: decode(m?.[2]),
    };
  }
  const target = isRecord(json) && isRecord(json.target) ? json.target : null;
  const host = target && typeof target.name === 'string' ? target.name : null;
  const kind: DocumentKind =
    isRecord(json) && json.kind === 'rampart-checklist'
      ? 'checklist'
      : isRecord(json) && Array.isArray(json.results)
        ? 'report'
        : 'document';
  const collectedAt = isRecord(json) && typeof json.collectedAt === 'string' ? json.collectedAt : null;
  return { kind, host, digest: 'jcs', sha256: sha256Hex(Buffer.from(canonicalize(json), 'utf8')), collectedAt };
}

export function envelopeBytes(env: SignoffEnvelope): Buffer {
  return Buffer.from(canonicalize(env), 'utf8');
}

export function signEnvelope(env: SignoffEnvelope, key: KeyObject): SignedDocument {
  return {
    signoff: env,
    algorithm: 'Ed25519',
    keyFingerprint: fingerprint(key),
    signature: signBytes(envelopeBytes(env), key).toString('base64'),
  };
}

export interface Signer {
  name: string;
  public_key: string;
}

export type Verification =
  { ok: true; signer: Signer; envelope: SignoffEnvelope } | { ok: false; reason: string; envelope: SignoffEnvelope | null };

const HEX64 = /^[0-9a-f]{64}$/;

/** Structural validation of a signed document read from disk (untrusted JSON). */
export function parseSignedDocument(value: unknown): { ok: true; doc: SignedDocument } | { ok: false; reason: string } {
  if (!isRecord(value)) return { ok: false, reason: 'not a signed document (expected a JSON object)' };
  const s = value.signoff;
  if (!isRecord(s) || s.type !== SIGNOFF_TYPE)
    return { ok: false, reason: 'not a Rampart sign-off (signoff.type is not "rampart-signoff")' };
  if (s.version !== SIGNOFF_VERSION) return { ok: false, reason: `sign-off version ${String(s.version)} is not supported` };
  const d = s.document;
  const signer = s.signer;
  const tool = s.tool;
  const ok =
    isRecord(d) &&
    typeof d.file === 'string' &&
    (d.digest === 'jcs' || d.digest === 'bytes') &&
    typeof d.sha256 === 'string' &&
    HEX64.test(d.sha256) &&
    (d.kind === 'report' || d.kind === 'checklist' || d.kind === 'document') &&
    (d.collectedAt === null || typeof d.collectedAt === 'string') &&
    typeof s.host === 'string' &&
    typeof s.signedAt === 'string' &&
    !Number.isNaN(Date.parse(s.signedAt)) &&
    isRecord(signer) &&
    typeof signer.name === 'string' &&
    (signer.role === null || typeof signer.role === 'string') &&
    isRecord(tool) &&
    tool.name === 'rampart' &&
    typeof tool.version === 'string' &&
    value.algorithm === 'Ed25519' &&
    typeof value.signature === 'string' &&
    typeof value.keyFingerprint === 'string';
  if (!ok) return { ok: false, reason: 'malformed sign-off (a field is missing or has the wrong type)' };
  return { ok: true, doc: value as unknown as SignedDocument };
}

/**
 * Verifies the signature against the trusted signers (config `signers`): the signer named in the
 * envelope must be one of them, and the signature must verify with that signer's public key.
 * Whether the document still matches its digest is checked separately (checkDocument).
 */
export function verifySignature(doc: SignedDocument, signers: readonly Signer[]): Verification {
  const env = doc.signoff;
  const candidates = signers.filter((s) => s.name === env.signer.name);
  if (candidates.length === 0)
    return { ok: false, reason: `unknown signer "${env.signer.name}" (not in the config's signers)`, envelope: env };
  const sig = Buffer.from(doc.signature, 'base64');
  const data = envelopeBytes(env);
  for (const s of candidates) {
    let key: KeyObject;
    try {
      key = loadPublicKey(s.public_key, `signers: ${s.name}`);
    } catch (e) {
      if (e instanceof KeyError) return { ok: false, reason: e.message, envelope: env };
      throw e;
    }
    if (verifyBytes(data, sig, key)) return { ok: true, signer: s, envelope: env };
  }
  return { ok: false, reason: `bad signature: it does not verify with the public key of signer "${env.signer.name}"`, envelope: env };
}

/** Whether the document bytes are the ones the envelope names. */
export function checkDocument(env: SignoffEnvelope, bytes: Buffer): { ok: true } | { ok: false; reason: string } {
  let info: DocumentInfo;
  try {
    info = describeDocument(bytes);
  } catch (e) {
    return { ok: false, reason: `the document cannot be canonicalized: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (info.digest !== env.document.digest || info.sha256 !== env.document.sha256) {
    return {
      ok: false,
      reason: `the document ${env.document.file} was changed after signing (SHA-256 ${info.sha256}, signed ${env.document.sha256})`,
    };
  }
  return { ok: true };
}

/** REPORT.json → REPORT.signoff.json; any other name gets `.signoff.json` appended. */
export function signoffPathFor(document: string): string {
  return document.endsWith('.json') ? `${document.slice(0, -'.json'.length)}.signoff.json` : `${document}.signoff.json`;
}
