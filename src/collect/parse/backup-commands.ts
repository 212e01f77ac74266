import { redactSecrets } from '../../util/redact.js';
import { isMap, isNode, isSeq } from 'yaml';
import { parseYamlDocument } from '../../util/yaml-safe.js';

/** What a line of a schedule or a tool configuration says about where backups go and how they are checked. */
export interface DestinationHit {
  tool: 'restic' | 'borg' | 'borgmatic' | 'rclone' | 'kopia' | 'aws' | 'rsync';
  target: string;
  remote: boolean;
  reason: string;
  line: number;
  excerpt: string;
}
export interface CheckHit {
  tool: 'restic' | 'borg' | 'borgmatic';
  line: number;
  excerpt: string;
}
export interface CommandScan {
  destinations: DestinationHit[];
  checks: CheckHit[];
  /** Absolute script paths a scheduled line runs (scanned one level deep by the collector). */
  scripts: string[];
}

/** rclone remote name → its `type` (from rclone.conf). */
export type RcloneRemotes = Record<string, string>;

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?)$/i;

/** Removes passwords (user:password@, query strings, PGPASSWORD=, --password-command …): the shared redactor. */
export const redactUrl = redactSecrets;

function hostOf(s: string): string | null {
  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:]+)/i.exec(s);
  if (url) return url[1]!;
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):/.exec(s);
  return scp ? scp[1]! : null;
}

/** restic / borg / kopia repository strings (restic(1) "Preparing a new repository", borg(1) "Repository URLs"). */
export function classifyRepository(repo: string, rclone: RcloneRemotes): { remote: boolean; reason: string } {
  const r = repo.trim().replace(/^["']|["']$/g, '');
  if (r === '') return { remote: false, reason: 'empty repository' };
  if (r.startsWith('/') || r.startsWith('file://') || r.startsWith('./') || r.startsWith('~'))
    return { remote: false, reason: 'a path on this host' };
  const rc = /^rclone:([^:]+):/.exec(r);
  if (rc) return classifyRcloneRemote(rc[1]!, rclone);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(r)?.[1]?.toLowerCase();
  if (scheme && ['s3', 'b2', 'azure', 'gs', 'swift'].includes(scheme)) return { remote: true, reason: `${scheme}: object storage` };
  if (scheme === 'local') return { remote: false, reason: 'local: a path on this host' };
  const host = hostOf(r.replace(/^(sftp|rest):(?!\/\/)/i, '').replace(/^rest:/i, ''));
  if (host && LOOPBACK.test(host)) return { remote: false, reason: `${host} is this host (loopback)` };
  if (scheme === 'sftp' || scheme === 'ssh' || scheme === 'rest' || scheme === 'rsync' || scheme === 'https' || scheme === 'http')
    return { remote: true, reason: `${scheme}: on ${host ?? '?'}` };
  if (host) return { remote: true, reason: `ssh to ${host}` };
  return { remote: false, reason: 'a relative path on this host' };
}

function classifyRcloneRemote(name: string, rclone: RcloneRemotes): { remote: boolean; reason: string } {
  const type = rclone[name];
  if (type === undefined)
    return { remote: true, reason: `rclone remote "${name}" (not defined in a readable rclone.conf: type not known)` };
  if (type === 'local' || type === 'alias') return { remote: false, reason: `rclone remote "${name}" is of type ${type} (this host)` };
  return { remote: true, reason: `rclone remote "${name}" of type ${type}` };
}

/** Splits a command line like sh does for plain words and quotes (no expansion). */
export function shellWords(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (const m of line.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

const base = (w: string) => w.replace(/^.*\//, '');
const BACKUP_TOOLS = new Set(['restic', 'borg', 'borg1', 'borg2', 'borgmatic', 'rclone', 'aws', 'rsync', 'kopia']);
const MAX_TOOL_ARGS = 256;

/** Scans text lines (cron entries, ExecStart=, scripts, env files) for backup tool invocations. */
export function scanCommandText(text: string, rclone: RcloneRemotes): CommandScan {
  const res: CommandScan = { destinations: [], checks: [], scripts: [] };
  for (const [i, raw] of text.split('\n').entries()) {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const line = i + 1;
    const excerpt = redactUrl(trimmed).slice(0, 300);
    const add = (tool: DestinationHit['tool'], target: string, c: { remote: boolean; reason: string }) =>
      res.destinations.push({ tool, target: redactUrl(target), remote: c.remote, reason: c.reason, line, excerpt });
    for (const m of trimmed.matchAll(/\b(RESTIC_REPOSITORY|BORG_REPO)=("[^"]*"|'[^']*'|\S+)/g)) {
      const v = m[2]!.replace(/^["']|["']$/g, '');
      add(m[1] === 'BORG_REPO' ? 'borg' : 'restic', v, classifyRepository(v, rclone));
    }
    const words = shellWords(trimmed.replace(/^\S*Exec\w*=[-@:+!]*/, ''));
    for (const [k, w] of words.entries()) {
      const b = base(w);
      if (!BACKUP_TOOLS.has(b)) continue;
      // A copy of the whole tail per word was quadratic (an 88,000-character line of quotes: 38 s);
      // a backup invocation's arguments are read up to MAX_TOOL_ARGS words after the tool name.
      const rest = words.slice(k + 1, k + 1 + MAX_TOOL_ARGS);
      if (b === 'restic') {
        const sub = rest.find((x) => !x.startsWith('-') && !/^(-r|--repo)$/.test(x));
        for (const [j, x] of rest.entries()) {
          const v = x === '-r' || x === '--repo' ? rest[j + 1] : /^--repo=(.+)/.exec(x)?.[1];
          if (v) add('restic', v, classifyRepository(v, rclone));
        }
        if (sub === 'check') res.checks.push({ tool: 'restic', line, excerpt });
      } else if (b === 'borg' || b === 'borg1' || b === 'borg2') {
        const sub = rest.find((x) => !x.startsWith('-'));
        const repoArg = rest.find((x) => x.includes('::'));
        if (repoArg && !repoArg.startsWith('::')) {
          const v = repoArg.slice(0, repoArg.indexOf('::'));
          add('borg', v, classifyRepository(v, rclone));
        } else if (sub === 'check') {
          const v = rest.filter((x) => !x.startsWith('-'))[1];
          if (v) add('borg', v, classifyRepository(v, rclone));
        }
        if (sub === 'check') res.checks.push({ tool: 'borg', line, excerpt });
      } else if (b === 'borgmatic') {
        const args = rest.filter((x) => !x.startsWith('-'));
        if (args.length === 0 || args.includes('check')) res.checks.push({ tool: 'borgmatic', line, excerpt });
      } else if (b === 'rclone') {
        const args = rest.filter((x) => !x.startsWith('-'));
        if (['copy', 'sync', 'move', 'copyto', 'moveto'].includes(args[0] ?? '') && args[2]) {
          const dst = args[2];
          const m = /^([^/:\s]+):/.exec(dst);
          add('rclone', dst, m ? classifyRcloneRemote(m[1]!, rclone) : { remote: false, reason: 'a path on this host' });
        }
      } else if (b === 'aws' && rest[0] === 's3') {
        const dst = rest.find((x) => x.startsWith('s3://'));
        if (dst) add('aws', dst, { remote: true, reason: 's3:// object storage' });
      } else if (b === 'rsync') {
        const args = rest.filter((x) => !x.startsWith('-'));
        const dst = args[args.length - 1];
        if (dst && args.length >= 2) add('rsync', dst, classifyRepository(dst, rclone));
      } else if (b === 'kopia' && rest[0] === 'repository' && (rest[1] === 'connect' || rest[1] === 'create') && rest[2]) {
        add(
          'kopia',
          rest[2],
          rest[2] === 'filesystem'
            ? { remote: false, reason: 'kopia filesystem storage on this host' }
            : { remote: true, reason: `kopia ${rest[2]} storage` },
        );
      }
    }
    const first = words[0];
    if (first?.startsWith('/') && !['restic', 'borg', 'rclone', 'rsync', 'aws', 'kopia', 'borgmatic'].includes(base(first)))
      res.scripts.push(first);
  }
  return res;
}

/** The command of a crontab line (system crontabs have a user field; `@daily` forms too). */
export function cronCommand(line: string, system: boolean): string | null {
  const t = line.trim();
  if (t === '' || t.startsWith('#') || /^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(t)) return null;
  const m = system ? /^(@\w+|(?:\S+\s+){5})\s*\S+\s+(.+)$/.exec(t) : /^(@\w+|(?:\S+\s+){5})\s*(.+)$/.exec(t);
  return m ? m[2]! : null;
}

/** rclone.conf: INI sections with `type =`. */
export function parseRcloneConf(text: string): RcloneRemotes {
  const out: RcloneRemotes = {};
  let cur: string | null = null;
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    const s = /^\[(.+)\]$/.exec(l);
    if (s) cur = s[1]!;
    else if (cur) {
      const t = /^type\s*=\s*(\S+)/.exec(l);
      if (t) out[cur] = t[1]!;
    }
  }
  return out;
}

const MAX_BORGMATIC_CHARS = 1024 * 1024;

/** borgmatic configuration (YAML): repositories and whether `borg check` runs (borgmatic runs repository and archives checks unless `checks` says `disabled`). */
export function scanBorgmatic(text: string, rclone: RcloneRemotes): CommandScan & { error: string | null } {
  const res: CommandScan & { error: string | null } = { destinations: [], checks: [], scripts: [], error: null };
  // A borgmatic configuration is a few KB (the generated sample, with every option commented, ~40 KB);
  // garbage costs the YAML library ~1.5 µs a byte: past 1 MiB the file is refused, not parsed.
  if (text.length > MAX_BORGMATIC_CHARS) {
    res.error = `not parsed: ${text.length} characters, more than a borgmatic configuration holds (limit ${MAX_BORGMATIC_CHARS})`;
    return res;
  }
  let doc: unknown;
  let parsed: ReturnType<typeof parseYamlDocument>;
  try {
    parsed = parseYamlDocument(text);
    if (parsed.error) {
      res.error = `not valid YAML: ${parsed.error.message} at line ${parsed.error.line}`;
      return res;
    }
    doc = parsed.doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    res.error = `not valid YAML: ${(e as Error).message.split('\n')[0] ?? ''}`;
    return res;
  }
  if (typeof doc !== 'object' || doc === null) return res;
  const d = doc as Record<string, unknown>;
  const nested = typeof d.location === 'object' && d.location !== null;
  const loc = (nested ? d.location : d) as Record<string, unknown>;
  const repos = Array.isArray(loc.repositories) ? loc.repositories : [];
  const lines = text.split('\n');
  // A repository's line is its YAML node's (searching the text for each path was repositories × lines).
  const reposNode = parsed.doc.getIn(nested ? ['location', 'repositories'] : ['repositories'], true);
  const repoLine = (i: number): number => {
    const item = isSeq(reposNode) ? reposNode.items[i] : undefined;
    const node = isMap(item) ? (item.get('path', true) ?? item) : item;
    const at = isNode(node) ? node.range?.[0] : undefined;
    return at === undefined ? 1 : parsed.lc.linePos(at).line;
  };
  const lineOf = (needle: string) => Math.max(1, lines.findIndex((l) => l.includes(needle)) + 1);
  for (const [i, r] of repos.entries()) {
    const path =
      typeof r === 'string'
        ? r
        : typeof r === 'object' && r !== null && typeof (r as { path?: unknown }).path === 'string'
          ? (r as { path: string }).path
          : null;
    if (!path) continue;
    const c = classifyRepository(path, rclone);
    const line = repoLine(i);
    res.destinations.push({
      tool: 'borgmatic',
      target: redactUrl(path),
      remote: c.remote,
      reason: c.reason,
      line,
      excerpt: redactUrl((lines[line - 1] ?? '').trim()),
    });
  }
  const cons = (typeof d.consistency === 'object' && d.consistency !== null ? d.consistency : d) as Record<string, unknown>;
  const checks = Array.isArray(cons.checks) ? cons.checks : null;
  const disabled =
    checks?.some((c) => c === 'disabled' || (typeof c === 'object' && c !== null && (c as { name?: unknown }).name === 'disabled')) ??
    false;
  if (repos.length > 0 && !disabled) {
    const line = checks ? lineOf('checks') : 1;
    res.checks.push({
      tool: 'borgmatic',
      line,
      excerpt: checks
        ? redactSecrets((lines[line - 1] ?? '').trim())
        : 'no checks: option (borgmatic runs repository and archives checks by default)',
    });
  }
  return res;
}
