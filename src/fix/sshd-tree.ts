// Validating an sshd change as sshd will read it (issue 12). A drop-in means nothing alone and a main
// file means nothing without its drop-ins, so `sshd -t -f CANDIDATE` on one file proves little. The
// planner gives the last sshd file of a plan this validator, argv
//   ['rampart:sshd-tree', '--root', ROOT, '--file', TARGET_PATH, HOST_FILE, ...]
// with the candidate (temporary) files of every sshd file the plan changes. It copies the whole
// include tree, as the model reads it with the candidates in place, into a private temporary
// directory (Include paths rewritten into the copy; HostKey paths of an offline root rewritten into
// the root), and runs `sshd -t -f COPY/etc/ssh/sshd_config` there. Where the privilege separation
// directory /run/sshd is missing (sshd not running, an image), sshd -t is run in a private mount
// namespace with a fresh /run (unshare -m), which leaves the host's /run alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FsTarget } from '../target/fs-target.js';
import type { CommandResult } from './restore.js';
import { loadModel, SSHD_MAIN } from './writers/sshd.js';

export const SSHD_TREE = 'rampart:sshd-tree';
const SSHD_BIN = '/usr/sbin/sshd';

export function sshdTreeArgv(root: string, files: readonly (readonly [string, string])[]): string[] {
  return [SSHD_TREE, '--root', root, ...files.flatMap(([target, host]) => ['--file', target, host])];
}

function parse(argv: readonly string[]): { root: string; files: Map<string, string> } | null {
  if (argv[0] !== SSHD_TREE || argv[1] !== '--root' || argv[2] === undefined) return null;
  const files = new Map<string, string>();
  for (let i = 3; i < argv.length; i += 3) {
    if (argv[i] !== '--file' || argv[i + 1] === undefined || argv[i + 2] === undefined) return null;
    files.set(argv[i + 1]!, argv[i + 2]!);
  }
  return { root: argv[2], files };
}

function rewriteLine(line: string, tmp: string, root: string): string {
  const m = /^(\s*)(include|hostkey)(\s+|\s*=\s*)(.*)$/i.exec(line);
  if (!m) return line;
  const [, indent, kw, sep, rest] = m;
  const args = rest!.trim().split(/\s+/);
  if (kw!.toLowerCase() === 'include')
    return `${indent}${kw}${sep}${args.map((a) => (a.startsWith('/') ? `${tmp}${a}` : `${tmp}/etc/ssh/${a}`)).join(' ')}`;
  return root === '/' ? line : `${indent}${kw}${sep}${args.map((a) => (a.startsWith('/') ? join(root, a) : a)).join(' ')}`;
}

export async function validateSshdTree(argv: readonly string[], timeoutMs: number): Promise<CommandResult> {
  const p = parse(argv);
  if (!p) return { code: 2, output: `bad ${SSHD_TREE} arguments` };
  const target = new FsTarget({ root: p.root, name: 'validate' });
  const pending = new Map<string, Uint8Array>();
  for (const [t, h] of p.files) pending.set(t, readFileSync(h));
  const model = await loadModel(target, pending);
  const tmp = mkdtempSync(join(tmpdir(), 'rampart-sshd-tree-'));
  try {
    let hostKeyLines = 0;
    for (const f of new Set(model.files)) {
      const text = pending.has(f)
        ? Buffer.from(pending.get(f)!).toString('utf8')
        : await target.readText(f).then((r) => (r.ok ? r.text : null));
      if (text === null) continue;
      const out = text
        .split('\n')
        .map((l) => {
          if (/^\s*hostkey\b/i.test(l)) hostKeyLines++;
          return rewriteLine(l, tmp, p.root);
        })
        .join('\n');
      mkdirSync(dirname(join(tmp, f)), { recursive: true });
      writeFileSync(join(tmp, f), out, { mode: 0o600 });
    }
    const keys: string[] = [];
    if (hostKeyLines === 0 && p.root !== '/')
      for (const k of ['rsa', 'ecdsa', 'ed25519']) {
        const path = join(p.root, `/etc/ssh/ssh_host_${k}_key`);
        if (existsSync(path)) keys.push('-h', path);
      }
    const sshd = [SSHD_BIN, '-t', '-f', join(tmp, SSHD_MAIN), ...keys];
    const argvRun = existsSync('/run/sshd')
      ? sshd
      : [
          'unshare',
          '-m',
          '--propagation',
          'private',
          'sh',
          '-c',
          'mount -t tmpfs -o mode=755 rampart-sshd /run && mkdir -m 755 /run/sshd && exec "$0" "$@"',
          ...sshd,
        ];
    const r = spawnSync(argvRun[0]!, argvRun.slice(1), { encoding: 'utf8', timeout: timeoutMs });
    const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.split(tmp).join('');
    if (r.error) return { code: null, output: `${SSHD_BIN} -t: ${r.error.message}` };
    return { code: r.status, output };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
