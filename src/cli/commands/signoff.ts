import { existsSync, promises as fsp } from 'node:fs';
import { basename, resolve } from 'node:path';
import { KeyError, loadPrivateKey } from '../../sign/ed25519.js';
import { CanonicalJsonError } from '../../sign/canonical-json.js';
import {
  describeDocument,
  signEnvelope,
  signoffPathFor,
  SIGNOFF_TYPE,
  SIGNOFF_VERSION,
  type DocumentInfo,
  type SignoffEnvelope,
} from '../../sign/signoff.js';
import { storeSignoff } from '../../store/attestations.js';
import { StoreError } from '../../store/history.js';
import { resolveStateDir } from '../../store/state-dir.js';
import { printable } from '../../report/text.js';
import { VERSION } from '../../version.js';
import { clockOf } from '../clock.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { defineCommand, type Args, type OptionSpec } from '../spec.js';
import { writeOut } from '../output.js';

async function readInput(io: Io, path: string, what: string): Promise<Buffer> {
  try {
    return await fsp.readFile(resolve(io.cwd, path));
  } catch (e) {
    throw new UsageError(`${what} ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/**
 * `rampart signoff FILE --key KEY.pem --by NAME [--role ROLE] [--host NAME] [--now T]`: signs a report (audit
 * --format json) or a checklist (checklist --format json|markdown); writes FILE's `.signoff.json`
 * beside it and keeps a copy in the state directory (docs.signed-checklist reads it there).
 */
const SIGNOFF_OPTIONS = {
  key: { type: 'string', arg: 'KEY.pem', help: 'the private key (rampart keygen makes one; required)' },
  by: { type: 'string', arg: 'NAME', help: "the signer, as named in the config's signers (required)" },
  role: { type: 'string', arg: 'ROLE', help: "the signer's role" },
  host: { type: 'string', arg: 'NAME', help: 'the host, when the document names none' },
  'state-dir': { type: 'string', arg: 'DIR', help: 'state directory (the sign-off is recorded there)' },
  now: { type: 'string', arg: 'ISO-DATE', help: 'the signing time (else $RAMPART_NOW, else the real clock)' },
  force: { type: 'boolean', default: false, help: 'replace an existing FILE.signoff.json' },
} as const satisfies Record<string, OptionSpec>;

export async function signoff(args: Args<typeof SIGNOFF_OPTIONS>, io: Io): Promise<number> {
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UsageError('signoff takes one file: rampart signoff REPORT.json --key KEY.pem --by NAME');
  const file = positionals[0]!;
  if (values.key === undefined) throw new UsageError('--key KEY.pem is required (rampart keygen makes one)');
  const by = values.by?.trim();
  if (!by) throw new UsageError("--by NAME is required: the signer, as named in the config's signers");
  const bytes = await readInput(io, file, 'signoff');
  let info: DocumentInfo;
  try {
    info = describeDocument(bytes);
  } catch (e) {
    if (e instanceof CanonicalJsonError) throw new UsageError(`${file}: cannot be canonicalized (${e.message})`);
    throw e;
  }
  const host = values.host ?? info.host;
  if (host === null)
    throw new UsageError(`${file} names no host (target.name): sign a report or checklist from rampart, or give --host NAME`);
  if (values.host !== undefined && info.host !== null && info.host !== values.host)
    throw new UsageError(`--host ${values.host} differs from the document's host ${info.host}`);
  let key;
  try {
    key = loadPrivateKey((await readInput(io, values.key, '--key')).toString('utf8'), values.key);
  } catch (e) {
    if (e instanceof KeyError) throw new UsageError(e.message);
    throw e;
  }
  const env: SignoffEnvelope = {
    type: SIGNOFF_TYPE,
    version: SIGNOFF_VERSION,
    document: { kind: info.kind, file: basename(file), digest: info.digest, sha256: info.sha256, collectedAt: info.collectedAt },
    host,
    signer: { name: by, role: values.role ?? null },
    signedAt: clockOf(io, values.now).now.toISOString(),
    tool: { name: 'rampart', version: VERSION },
  };
  const doc = signEnvelope(env, key);
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  const out = signoffPathFor(resolve(io.cwd, file));
  if (!values.force && existsSync(out)) throw new UsageError(`${out} exists: give --force to replace the sign-off`);
  await writeOut(io, out, text);
  const { dir } = resolveStateDir(values['state-dir'], io.env, io.cwd);
  let stored: string;
  try {
    stored = storeSignoff(dir, doc, bytes);
  } catch (e) {
    if (e instanceof StoreError) throw new UsageError(`${e.message} (the signed document was written to ${out})`);
    throw e;
  }
  io.stdout(
    printable(
      `Signed ${info.kind} ${basename(file)} of ${host} as ${by}${env.signer.role ? ` (${env.signer.role})` : ''} at ${env.signedAt}`,
    ) + `\n  ${out}\n  ${stored}\n`,
  );
  return 0;
}

export const signoffCommand = defineCommand({
  name: 'signoff',
  summary: 'sign a JSON report or checklist: FILE.signoff.json beside it',
  usage: ['signoff FILE --key KEY.pem --by NAME [--role ROLE]'],
  options: SIGNOFF_OPTIONS,
  positionals: [{ name: 'FILE', help: 'a JSON report or checklist from rampart' }],
  examples: [
    { cmd: 'rampart signoff report.json --key ~/.rampart/rampart-signoff.key --by "A. Admin"', what: 'sign a report' },
    { cmd: 'rampart signoff checklist.json --key alice.key --by alice --role "security officer"', what: 'sign a checklist with a role' },
  ],
  run: (args, io) => signoff(args, io),
});
