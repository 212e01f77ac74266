import { existsSync, mkdirSync, openSync, writeSync, closeSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateKeyPair } from '../../sign/ed25519.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { defineCommand, type Args, type OptionSpec } from '../spec.js';

function writeNew(file: string, text: string, mode: number): void {
  try {
    const fd = openSync(file, 'wx', mode);
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    chmodSync(file, mode);
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as Error).message}`);
  }
}

const KEYGEN_OPTIONS = {
  out: { type: 'string', arg: 'DIR', help: 'where to write NAME.key and NAME.pub (required)' },
  name: { type: 'string', default: 'rampart-signoff', arg: 'NAME', help: 'the key file name (default rampart-signoff)' },
} as const satisfies Record<string, OptionSpec>;

/** `rampart keygen --out DIR [--name NAME]`: an Ed25519 key pair for sign-offs (PKCS#8 PEM 0600, SPKI PEM). */
export function keygen(args: Args<typeof KEYGEN_OPTIONS>, io: Io): number {
  const { values } = args;
  if (values.out === undefined) throw new UsageError('keygen needs --out DIR');
  if (!/^[A-Za-z0-9._-]+$/.test(values.name) || values.name.startsWith('.'))
    throw new UsageError('--name: letters, digits, ".", "_" and "-" only');
  const dir = resolve(io.cwd, values.out);
  const priv = join(dir, `${values.name}.key`);
  const pub = join(dir, `${values.name}.pub`);
  for (const f of [priv, pub]) if (existsSync(f)) throw new UsageError(`${f} exists: keygen never overwrites a key`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new UsageError(`cannot create ${dir}: ${(e as Error).message}`);
  }
  const { privatePem, publicPem } = generateKeyPair();
  writeNew(priv, privatePem, 0o600);
  writeNew(pub, publicPem, 0o644);
  const indented = publicPem
    .trimEnd()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
  io.stdout(
    `Private key: ${priv} (keep it secret; mode 0600)\nPublic key:  ${pub}\n\nTrust it in the config (/etc/rampart/config.yaml) so that rampart verify accepts your sign-offs:\n\nsigners:\n  - name: YOUR NAME\n    public_key: |\n${indented}\n`,
  );
  return 0;
}

export const keygenCommand = defineCommand({
  name: 'keygen',
  summary: 'an Ed25519 key pair for sign-offs',
  usage: ['keygen --out DIR [--name NAME]'],
  options: KEYGEN_OPTIONS,
  examples: [
    { cmd: 'rampart keygen --out ~/.rampart', what: 'rampart-signoff.key and .pub in ~/.rampart' },
    { cmd: 'rampart keygen --out keys --name alice', what: 'keys/alice.key and keys/alice.pub' },
  ],
  run: (args, io) => keygen(args, io),
});
