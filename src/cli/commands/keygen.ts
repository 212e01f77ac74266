import { existsSync, mkdirSync, openSync, writeSync, closeSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateKeyPair } from '../../sign/ed25519.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';

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

/** `rampart keygen --out DIR [--name NAME]`: an Ed25519 key pair for sign-offs (PKCS#8 PEM 0600, SPKI PEM). */
export function keygen(argv: string[], io: Io): number {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, name: { type: 'string', default: 'rampart-signoff' } },
    allowPositionals: false,
    strict: true,
  });
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
