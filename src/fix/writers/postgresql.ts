// PostgreSQL (guc-file.l, ParseConfigFp; ALTER SYSTEM docs): postgresql.conf is read in order with its
// includes expanded in place, then postgresql.auto.conf from the data directory; the last value wins.
// Decision: when postgresql.auto.conf sets the parameter it decides, so Rampart edits it there (as
// ALTER SYSTEM would); otherwise it edits postgresql.conf after every include (Debian's include_dir
// 'conf.d' stands at the end), keeping comments, earlier values commented out with a marker.
import { posix } from 'node:path';
import { parsePgConf } from '../../collect/parse/pg-conf.js';
import { bytes, currentText, notesOf, setLastWins } from './_lib.js';
import type { DirectiveWriter, WriterOutcome } from './types.js';

const nameOf = (line: string, path: string): string | null => parsePgConf(line, path).entries[0]?.name ?? null;
const INCLUDES = new Set(['include', 'include_if_exists', 'include_dir']);
export const pgQuote = (v: string): string => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** The one Debian cluster (/etc/postgresql/V/N/postgresql.conf), or why not; `section` "15/main" picks one. */
export async function pgCluster(
  target: Parameters<DirectiveWriter['write']>[0]['target'],
  section: string | undefined,
): Promise<{ confDir: string; version: string; name: string } | { refused: string }> {
  const confs = (await target.glob('/etc/postgresql/*/*/postgresql.conf')).filter((p) =>
    section ? p === `/etc/postgresql/${section}/postgresql.conf` : true,
  );
  if (confs.length !== 1)
    return {
      refused:
        confs.length === 0
          ? 'no /etc/postgresql/*/*/postgresql.conf: is PostgreSQL installed?'
          : `several clusters (${confs.join(', ')}): name one as the step's section (e.g. 15/main)`,
    };
  const confDir = posix.dirname(confs[0]!);
  const [version, name] = confDir.split('/').slice(-2) as [string, string];
  return { confDir, version, name };
}

/** The cluster (pgCluster) and the current text of its postgresql.conf (a pending change included), or why not. */
export async function pgClusterConf(
  target: Parameters<DirectiveWriter['write']>[0]['target'],
  pending: Parameters<DirectiveWriter['write']>[0]['pending'],
  section: string | undefined,
): Promise<{ confDir: string; version: string; name: string; conf: string; text: string } | { refused: string }> {
  const c = await pgCluster(target, section);
  if ('refused' in c) return c;
  const conf = `${c.confDir}/postgresql.conf`;
  const cur = await currentText(target, pending, conf);
  if ('error' in cur) return { refused: cur.error };
  if (!cur.exists) return { refused: `${conf} vanished` };
  return { ...c, conf, text: cur.text };
}

export const writer: DirectiveWriter = {
  service: 'postgresql',
  async write({ target, mode, step, pending }): Promise<WriterOutcome> {
    const param = step.directive.toLowerCase();
    if (INCLUDES.has(param) || param === 'data_directory' || param === 'config_file')
      return { ok: false, refused: `${param} is not a parameter Rampart sets` };
    const c = await pgClusterConf(target, pending, step.section);
    if ('refused' in c) return { ok: false, refused: c.refused };
    const { conf } = c;
    const parsed = parsePgConf(c.text, conf);
    if (parsed.errors[0]) return { ok: false, refused: parsed.errors[0].message };
    const dd = parsed.entries.filter((e) => e.name === 'data_directory').pop()?.value ?? `/var/lib/postgresql/${c.version}/${c.name}`;
    const auto = posix.join(dd, 'postgresql.auto.conf');
    const autoCur = await currentText(target, pending, auto);
    const autoSets = 'text' in autoCur && parsePgConf(autoCur.text, auto).entries.some((e) => e.name === param);
    const path = autoSets ? auto : conf;
    const text = autoSets && 'text' in autoCur ? autoCur.text : c.text;
    const e = setLastWins(
      text,
      (l) => nameOf(l, path) === param,
      `${param} = ${pgQuote(step.value)}`,
      (l) => INCLUDES.has(nameOf(l, path) ?? ''),
    );
    const notes = notesOf(path, e);
    if ('error' in autoCur) notes.push(`${auto} could not be read (${autoCur.error}): if it sets ${param}, it decides`);
    return {
      ok: true,
      result: {
        changes: [{ path, content: bytes(e.text) }],
        // `postgres -C` refuses to run as root, so no validator argv: the test starts postgres on the result.
        reload: mode === 'live' ? [['pg_ctlcluster', c.version, c.name, 'reload']] : [],
        decidedBy: { path, line: e.line },
        ...(e.before !== null ? { before: e.before.trim() } : {}),
        notes,
      },
    };
  },
};
