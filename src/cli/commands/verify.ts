import { promises as fsp } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fingerprint, loadPublicKey } from '../../sign/ed25519.js';
import { checkDocument, parseSignedDocument, signoffPathFor, verifySignature } from '../../sign/signoff.js';
import { printable } from '../../report/text.js';
import { loadConfig } from '../config-load.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { defineCommand, type Args, type OptionSpec } from '../spec.js';
import { thisHostName } from '../this-host.js';
import { FsTarget } from '../../target/fs-target.js';

async function read(path: string): Promise<Buffer | null> {
  try {
    return await fsp.readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UsageError(`${path}: ${(e as Error).message}`);
  }
}

/**
 * `rampart verify FILE [--config FILE]`: FILE is a signed document (X.signoff.json) or the document it
 * signs (X.json, whose X.signoff.json is beside it). Exit 0: the signature verifies with a key of the
 * config's `signers` and the document is unchanged; 1: anything else (unknown signer, bad signature,
 * changed or missing document, malformed sign-off).
 */
const VERIFY_OPTIONS = {
  config: { type: 'string', arg: 'FILE', help: 'the config whose signers are trusted (default /etc/rampart/config.yaml)' },
} as const satisfies Record<string, OptionSpec>;

export async function verifyCommand(args: Args<typeof VERIFY_OPTIONS>, io: Io): Promise<number> {
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UsageError('verify takes one file: rampart verify REPORT.signoff.json');
  const given = resolve(io.cwd, positionals[0]!);
  const givenBytes = await read(given);
  if (givenBytes === null) throw new UsageError(`verify ${positionals[0]!}: no such file`);
  let signoffFile = given;
  let signoffBytes = givenBytes;
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(givenBytes.toString('utf8')) as unknown;
  } catch {
    // not JSON: a Markdown checklist
  }
  const isSignoff = typeof parsed === 'object' && parsed !== null && 'signoff' in parsed;
  if (!isSignoff) {
    signoffFile = signoffPathFor(given);
    const b = await read(signoffFile);
    if (b === null) throw new UsageError(`${given} is not a signed document and ${signoffFile} does not exist`);
    signoffBytes = b;
  }
  const bad = (why: string) => {
    io.stdout(printable(`BAD: ${why}`) + `\n  ${signoffFile}\n`);
    return 1;
  };
  let raw: unknown;
  try {
    raw = JSON.parse(signoffBytes.toString('utf8')) as unknown;
  } catch {
    return bad('the signed document is not JSON');
  }
  const p = parseSignedDocument(raw);
  if (!p.ok) return bad(p.reason);
  const config = await loadConfig(io, values.config, values.config === undefined ? new FsTarget({ name: thisHostName() }) : null);
  const v = verifySignature(p.doc, config.signers);
  if (!v.ok) return bad(v.reason);
  const env = v.envelope;
  const docPath = isSignoff ? join(dirname(signoffFile), env.document.file) : given;
  const docBytes = await read(docPath);
  if (docBytes === null) return bad(`the signed document ${docPath} is missing: nothing to compare the signature with`);
  const d = checkDocument(env, docBytes);
  if (!d.ok) return bad(d.reason);
  io.stdout(
    printable(
      `GOOD: ${env.document.kind} ${env.document.file} of host ${env.host}${env.document.collectedAt ? ` (collected ${env.document.collectedAt})` : ''} signed by ${env.signer.name}${env.signer.role ? ` (${env.signer.role})` : ''} at ${env.signedAt}`,
    ) +
      `\n  key sha256:${fingerprint(loadPublicKey(v.signer.public_key, v.signer.name))}; document sha256:${env.document.sha256} (${env.document.digest === 'jcs' ? 'RFC 8785 canonical JSON' : 'bytes'}); ${env.tool.name} ${env.tool.version}\n`,
  );
  return 0;
}

export const verifySpec = defineCommand({
  name: 'verify',
  summary: "check a sign-off against the config's signers",
  usage: ['verify FILE [--config FILE]'],
  options: VERIFY_OPTIONS,
  positionals: [{ name: 'FILE', help: 'FILE.signoff.json (or the signed document beside it)' }],
  examples: [
    { cmd: 'rampart verify report.json.signoff.json', what: 'check a sign-off' },
    { cmd: 'rampart verify report.json.signoff.json --config ./config.yaml', what: 'against another config' },
  ],
  exitCodes: ['0 good, 1 bad, 2 usage error'],
  run: (args, io) => verifyCommand(args, io),
});
