import { resolve } from 'node:path';
import { scanLocation } from '../../collect/backups.js';
import { printable } from '../../report/text.js';
import { FsTarget } from '../../target/fs-target.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { defineCommand, type Args, type OptionSpec } from '../spec.js';

export const BACKUP_USAGE =
  'rampart backup verify DIR [--format text|json]   encryption (by content) and SHA-256 manifests of the backups in DIR (exit 0 good, 1 plain or corrupt backup, 2 usage)';

const BACKUP_OPTIONS = {
  format: { type: 'string', default: 'text', arg: 'FORMAT', help: 'text or json', choices: ['text', 'json'] },
} as const satisfies Record<string, OptionSpec>;

/** `rampart backup verify DIR`: judges one location on this machine, without a config. */
export async function backup(args: Args<typeof BACKUP_OPTIONS>, io: Io): Promise<number> {
  const { values, positionals } = args;
  if (positionals.length !== 1) throw new UsageError(`backup verify takes one directory: ${BACKUP_USAGE}`);
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format ${values.format}: expected text or json`);
  const dir = resolve(io.cwd, positionals[0]!);
  const loc = await scanLocation(new FsTarget({ name: 'local' }), dir);
  if (loc.state !== 'ok') throw new UsageError(`backup verify ${positionals[0]!}: ${loc.detail ?? loc.state}`);
  const corrupt = loc.manifests.flatMap((m) => m.entries.filter((e) => e.status !== 'ok').map((e) => ({ manifest: m.path, ...e })));
  const plain = loc.files.filter((f) => f.verdict === 'plain');
  const badRepos = loc.repositories.filter((r) => r.encrypted === false);
  const code = plain.length > 0 || corrupt.length > 0 || badRepos.length > 0 ? 1 : 0;
  if (values.format === 'json') {
    io.stdout(
      `${JSON.stringify({ dir, ok: code === 0, files: loc.files, repositories: loc.repositories, manifests: loc.manifests, skipped: loc.skipped }, null, 2)}\n`,
    );
    return code;
  }
  const out: string[] = [];
  const label = { encrypted: 'encrypted', plain: 'PLAIN    ', unknown: 'UNKNOWN  ' } as const;
  for (const f of loc.files) out.push(`${label[f.verdict]}  ${f.path}  ${f.format}${f.detail ? ` (${f.detail})` : ''}`);
  for (const r of loc.repositories)
    out.push(
      `${r.encrypted === true ? 'encrypted' : r.encrypted === false ? 'PLAIN    ' : 'UNKNOWN  '}  ${r.path}/  ${r.tool} repository, ${r.mode ?? 'mode unknown'}`,
    );
  for (const m of loc.manifests) {
    for (const e of m.entries)
      out.push(
        `${e.status === 'ok' ? 'sha256 ok' : `sha256 ${e.status.toUpperCase()}`}  ${e.path}  (${m.path}:${e.line})${e.status === 'mismatch' ? ` actual ${e.actual ?? '?'}` : ''}`,
      );
    for (const x of m.errors) out.push(`MANIFEST   ${m.path}:${x.line}  ${x.message}`);
  }
  const listed = new Set(loc.manifests.flatMap((m) => m.entries.map((e) => e.path)));
  const unlisted = loc.files.filter((f) => !listed.has(f.path));
  for (const s of loc.skipped) out.push(`skipped    ${s.path}  ${s.reason}`);
  out.push(
    `${loc.files.length} file(s), ${loc.repositories.length} repositor(y/ies): ${plain.length} plain, ${loc.files.filter((f) => f.verdict === 'unknown').length} cannot tell; ${corrupt.length} checksum failure(s); ${unlisted.length} file(s) in no manifest`,
  );
  out.push(code === 0 ? 'GOOD' : 'BAD: plain or corrupt backups found');
  io.stdout(out.map(printable).join('\n') + '\n');
  return code;
}

export const backupVerifyCommand = defineCommand({
  name: 'backup verify',
  summary: 'backup encryption (by content) and SHA-256 manifests of the backups in DIR',
  usage: ['backup verify DIR [--format text|json]'],
  options: BACKUP_OPTIONS,
  positionals: [{ name: 'DIR', help: 'the backup location' }],
  examples: [
    { cmd: 'rampart backup verify /var/backups/lms', what: 'check the backups in one directory' },
    { cmd: 'rampart backup verify /srv/backup --format json', what: 'the same as JSON' },
  ],
  exitCodes: ['0 good, 1 a plain or corrupt backup, 2 usage error'],
  run: (args, io) => backup(args, io),
});
