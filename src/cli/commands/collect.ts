import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { collectForensics } from '../../collect/forensic/index.js';
import { CollectionError, sha256File } from '../../collect/forensic/out-dir.js';
import { printable } from '../../report/text.js';
import { VERSION } from '../../version.js';
import { UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { parseTimeout } from '../timeout.js';
import { defineCommand, type Args, type OptionSpec } from '../spec.js';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * `rampart collect --out DIR [--timeout SECONDS] [--proc-root DIR]`: read-only forensic collection
 * (guide 9.1) into a new directory. Exit 0 collected (items that could not be collected are recorded
 * in collection.json), 2 usage error (DIR not empty, parent missing).
 */
const COLLECT_OPTIONS = {
  out: { type: 'string', arg: 'DIR', help: 'the new directory to collect into (required)' },
  timeout: { type: 'string', default: '30', arg: 'SECONDS', help: 'per command (default 30)' },
  'proc-root': { type: 'string', arg: 'DIR', help: 'read processes from this /proc (tests)' },
} as const satisfies Record<string, OptionSpec>;

export async function collect(args: Args<typeof COLLECT_OPTIONS>, io: Io): Promise<number> {
  const { values } = args;
  if (values.out === undefined) throw new UsageError('collect needs --out DIR (a new or empty directory)');
  const timeoutS = parseTimeout(values.timeout);
  const u = userInfo();
  let result;
  try {
    result = await collectForensics({
      out: resolve(io.cwd, values.out),
      ...(values['proc-root'] !== undefined ? { procRoot: resolve(io.cwd, values['proc-root']) } : {}),
      path: io.env.PATH ?? DEFAULT_PATH,
      commandTimeoutMs: timeoutS * 1000,
      collector: { user: u.username, uid: u.uid, host: hostname(), toolVersion: VERSION },
    });
  } catch (e) {
    if (e instanceof CollectionError) throw new UsageError(`collect: ${e.message}`);
    throw e;
  }
  const lines = result.collection.items.map(
    (i) =>
      `  ${i.name.padEnd(20)} ${i.status.padEnd(8)} ${i.files.join(', ')}${
        i.commands.some((c) => c.status === 'missing')
          ? `  (missing: ${i.commands
              .filter((c) => c.status === 'missing')
              .map((c) => c.argv[0]!)
              .join(', ')})`
          : ''
      }`,
  );
  io.stdout(
    printable(`Collected into ${result.out} (${result.collection.startedAt} … ${result.collection.endedAt})`) +
      `\n${lines.join('\n')}\n  manifest: ${result.manifest}\n  archive:  ${result.archive} (sha256 ${await sha256File(result.archive)})\n`,
  );
  return 0;
}

export const collectCommand = defineCommand({
  name: 'collect',
  summary: 'read-only forensic collection with a SHA-256 manifest',
  usage: ['collect --out DIR [--timeout SECONDS]'],
  options: COLLECT_OPTIONS,
  examples: [
    { cmd: 'rampart collect --out /root/evidence-$(date +%F)', what: 'collect volatile and log evidence' },
    { cmd: 'rampart collect --out /mnt/usb/case42 --timeout 10', what: 'shorter per-command timeout' },
  ],
  run: (args, io) => collect(args, io),
});
