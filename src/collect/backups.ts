import { posix } from 'node:path';
import { collected } from '../facts/fact.js';
import type {
  BackupDestination,
  BackupFacts,
  BackupFile,
  BackupLocation,
  BackupRepository,
  ChecksumManifest,
  ManifestEntry,
  RepositoryCheck,
} from '../facts/backups.js';
import type { Target } from '../target/types.js';
import { readHead, sha256File, sniffFile } from './backup-content.js';
import {
  cronCommand,
  parseRcloneConf,
  scanBorgmatic,
  scanCommandText,
  type CommandScan,
  type RcloneRemotes,
} from './parse/backup-commands.js';
import { isManifestName, parseSha256Manifest } from './parse/backup-manifest.js';
import { BORG_KEY_TYPES, borgSegmentKeyType, parseBorgConfig, parseKopiaFormat } from './parse/backup-repos.js';
import { defineCollector, type CollectContext } from './types.js';

const MAX_FILES = 10_000;
const MAX_TEXT = 1024 * 1024;

async function isDir(t: Target, p: string): Promise<boolean> {
  const s = await t.stat(p);
  return s.ok && s.type === 'dir';
}

async function readSmall(t: Target, p: string): Promise<string | null> {
  const r = await t.readText(p, { maxBytes: MAX_TEXT });
  return r.ok ? r.text : null;
}

/** restic, borg or kopia repository at `dir`, judged from its layout and format files. */
export async function detectRepository(t: Target, dir: string): Promise<BackupRepository | null> {
  const kopia = `${dir}/kopia.repository.f`;
  const kopiaText = await readSmall(t, kopia);
  if (kopiaText !== null) {
    const k = parseKopiaFormat(kopiaText);
    const enc = k.encryption;
    return {
      tool: 'kopia',
      path: dir,
      encrypted: k.error ? null : enc !== null && enc !== '' && !/^none$/i.test(enc),
      mode: enc,
      evidence: [{ path: kopia, excerpt: k.error ?? `"encryption": ${JSON.stringify(enc)}` }],
    };
  }
  const readme = await readSmall(t, `${dir}/README`);
  const cfgText = await readSmall(t, `${dir}/config`);
  const borg = cfgText !== null ? parseBorgConfig(cfgText) : null;
  if ((readme !== null && /This is a Borg Backup repository/.test(readme)) || borg?.isRepository) {
    const evidence: BackupRepository['evidence'] = [];
    if (readme !== null) evidence.push({ path: `${dir}/README`, excerpt: readme.split('\n')[0] ?? '' });
    let type: number | null = null;
    const segs = (await t.glob(`${dir}/data/*/*`))
      .filter((p) => /\/\d+$/.test(p))
      .sort((a, b) => Number(a.split('/').pop()) - Number(b.split('/').pop()));
    for (const s of segs.slice(0, 8)) {
      const head = await readHead(t, s, 4096);
      if (!head.ok) continue;
      type = borgSegmentKeyType(head.bytes);
      if (type !== null) {
        evidence.push({ path: s, note: `first object's key type byte 0x${type.toString(16).padStart(2, '0')}` });
        break;
      }
    }
    const known = type !== null ? BORG_KEY_TYPES[type] : undefined;
    if (borg?.hasKey)
      evidence.push({ path: `${dir}/config`, line: borg.keyLine ?? 1, excerpt: 'key = … (the encrypted repository key: repokey mode)' });
    else if (borg?.isRepository)
      evidence.push({ path: `${dir}/config`, line: borg.repositoryLine ?? 1, excerpt: '[repository] without key =: keyfile or none mode' });
    if (known) return { tool: 'borg', path: dir, encrypted: known.encrypted, mode: known.mode, evidence };
    return {
      tool: 'borg',
      path: dir,
      encrypted: borg?.hasKey ? true : null,
      mode: borg?.hasKey ? 'repokey (or authenticated: no segment to tell)' : 'keyfile or none (no segment to tell)',
      evidence,
    };
  }
  if (cfgText !== null || (await t.stat(`${dir}/config`)).ok) {
    if ((await isDir(t, `${dir}/keys`)) && (await isDir(t, `${dir}/data`))) {
      const keys = await t.glob(`${dir}/keys/*`);
      const keyText = keys[0] ? await readSmall(t, keys[0]) : null;
      const kdf = keyText ? (/"kdf"\s*:\s*"([^"]+)"/.exec(keyText)?.[1] ?? null) : null;
      return {
        tool: 'restic',
        path: dir,
        encrypted: true,
        mode: 'restic (always encrypted)',
        evidence: [
          { path: `${dir}/config`, note: 'restic repository config (encrypted)' },
          keys[0] ? { path: keys[0], excerpt: kdf ? `key file, kdf ${kdf}` : 'key file' } : { path: `${dir}/keys`, note: 'no key file' },
        ],
      };
    }
  }
  return null;
}

async function verifyManifest(t: Target, path: string, text: string): Promise<ChecksumManifest> {
  const parsed = parseSha256Manifest(text);
  const dir = posix.dirname(path);
  const entries: ManifestEntry[] = [];
  for (const e of parsed.entries) {
    const target = e.name.startsWith('/') ? e.name : posix.join(dir, e.name);
    const base = { name: e.name, path: target, line: e.line, expected: e.sha256 };
    const st = await t.stat(target);
    if (!st.ok) {
      entries.push({ ...base, status: st.error === 'missing' ? 'missing' : 'unreadable', actual: null, detail: st.message });
      continue;
    }
    const h = await sha256File(t, target);
    if (!h.ok) entries.push({ ...base, status: 'unreadable', actual: null, detail: h.message });
    else entries.push({ ...base, status: h.hex === e.sha256 ? 'ok' : 'mismatch', actual: h.hex, detail: null });
  }
  return { path, entries, errors: parsed.errors };
}

/** Judges one backup location: every file by content, repositories as a whole, manifests verified now. */
export async function scanLocation(t: Target, dir: string): Promise<BackupLocation> {
  const loc: BackupLocation = { dir, state: 'ok', detail: null, files: [], repositories: [], manifests: [], skipped: [] };
  const st = await t.stat(dir);
  if (!st.ok) return { ...loc, state: st.error === 'missing' ? 'missing' : 'unreadable', detail: st.message };
  if (st.type !== 'dir') return { ...loc, state: 'not-dir', detail: `${JSON.stringify(dir)} is not a directory` };
  const stack = [dir];
  let count = 0;
  while (stack.length > 0) {
    const d = stack.pop()!;
    const repo = await detectRepository(t, d);
    if (repo) {
      loc.repositories.push(repo);
      continue;
    }
    const l = await t.list(d);
    if (!l.ok) {
      if (d === dir) return { ...loc, state: 'unreadable', detail: l.message };
      loc.skipped.push({ path: d, reason: l.message });
      continue;
    }
    for (const e of l.entries) {
      const p = posix.join(d, e.name);
      if (e.type === 'dir') {
        stack.push(p);
        continue;
      }
      let s = await t.stat(p);
      if (e.type === 'symlink' && s.ok && s.type === 'dir') {
        loc.skipped.push({ path: p, reason: 'symbolic link to a directory: not followed' });
        continue;
      }
      if (!s.ok) {
        loc.files.push({ path: p, size: 0, verdict: 'unknown', format: 'unreadable', detail: s.message });
        continue;
      }
      if (s.type !== 'file') {
        loc.skipped.push({ path: p, reason: `not a regular file (${s.type})` });
        continue;
      }
      if (++count > MAX_FILES) {
        loc.skipped.push({ path: d, reason: `more than ${MAX_FILES} files: the rest is not judged` });
        return loc;
      }
      if (isManifestName(e.name) && s.size <= MAX_TEXT) {
        const text = await readSmall(t, p);
        if (text !== null && parseSha256Manifest(text).entries.length > 0) {
          loc.manifests.push(await verifyManifest(t, p, text));
          continue;
        }
      }
      const sniff = await sniffFile(t, p);
      s = await t.stat(p);
      loc.files.push({ path: p, size: s.ok ? s.size : 0, ...sniff } satisfies BackupFile);
    }
  }
  loc.files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return loc;
}

const UNIT_DIR = '/etc/systemd/system';
const TOOL_CONFIGS = ['/etc/restic/*', '/etc/default/restic*', '/etc/default/borg*', '/root/.config/restic/*'];
const BORGMATIC = [
  '/etc/borgmatic/config.yaml',
  '/etc/borgmatic.d/*.yaml',
  '/etc/borgmatic.d/*.yml',
  '/root/.config/borgmatic/config.yaml',
];
const RCLONE = ['/root/.config/rclone/rclone.conf', '/etc/rclone/rclone.conf', '/etc/rclone.conf'];

async function expand(t: Target, patterns: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of patterns) for (const m of await t.glob(p)) if ((await t.stat(m)).ok) out.push(m);
  return out;
}

/** Where backups go and whether repositories are checked: schedules, their scripts, tool configs. */
export async function scanBackupTools(t: Target): Promise<Pick<BackupFacts, 'destinations' | 'repositoryChecks' | 'scanned'>> {
  const destinations: BackupDestination[] = [];
  const repositoryChecks: RepositoryCheck[] = [];
  const scanned: string[] = [];
  const rclone: RcloneRemotes = {};
  for (const p of await expand(t, RCLONE)) {
    const text = await readSmall(t, p);
    if (text === null) continue;
    scanned.push(p);
    Object.assign(rclone, parseRcloneConf(text));
  }
  const seen = new Set<string>();
  const take = (path: string, scan: CommandScan, scheduled: boolean, lineMap?: (n: number) => number) => {
    for (const d of scan.destinations) {
      const line = lineMap ? lineMap(d.line) : d.line;
      destinations.push({
        tool: d.tool,
        target: d.target,
        remote: d.remote,
        reason: d.reason,
        scheduled,
        source: { path, line, excerpt: d.excerpt },
      });
    }
    for (const c of scan.checks)
      repositoryChecks.push({ tool: c.tool, scheduled, source: { path, line: lineMap ? lineMap(c.line) : c.line, excerpt: c.excerpt } });
  };
  const scripts: string[] = [];
  const scanFile = async (path: string, scheduled: boolean, kind: 'text' | 'cron-system' | 'cron-user') => {
    if (seen.has(path)) return;
    seen.add(path);
    const text = await readSmall(t, path);
    if (text === null) return;
    scanned.push(path);
    if (kind === 'text') {
      const s = scanCommandText(text, rclone);
      take(path, s, scheduled);
      if (scheduled) scripts.push(...s.scripts);
      return;
    }
    for (const [i, line] of text.split('\n').entries()) {
      const cmd = cronCommand(line, kind === 'cron-system');
      const env = /^\s*(RESTIC_REPOSITORY|BORG_REPO)=/.test(line) ? line : null;
      const what = cmd ?? env;
      if (!what) continue;
      const s = scanCommandText(what, rclone);
      take(path, s, true, () => i + 1);
      scripts.push(...s.scripts);
    }
  };
  await scanFile('/etc/crontab', true, 'cron-system');
  for (const p of await expand(t, ['/etc/cron.d/*'])) await scanFile(p, true, 'cron-system');
  for (const p of await expand(t, ['/var/spool/cron/crontabs/*'])) await scanFile(p, true, 'cron-user');
  for (const p of await expand(t, ['/etc/cron.hourly/*', '/etc/cron.daily/*', '/etc/cron.weekly/*', '/etc/cron.monthly/*']))
    await scanFile(p, true, 'text');
  const timers = new Set((await t.glob(`${UNIT_DIR}/*.timer`)).map((p) => posix.basename(p, '.timer')));
  for (const timer of timers) {
    const text = await readSmall(t, `${UNIT_DIR}/${timer}.timer`);
    const unit = text ? /^\s*Unit\s*=\s*(\S+)\.service/m.exec(text)?.[1] : undefined;
    if (unit) timers.add(unit);
  }
  for (const p of await t.glob(`${UNIT_DIR}/*.service`)) {
    const scheduled = timers.has(posix.basename(p, '.service'));
    await scanFile(p, scheduled, 'text');
    const text = await readSmall(t, p);
    for (const m of (text ?? '').matchAll(/^\s*EnvironmentFile\s*=\s*-?(\/\S+)/gm)) await scanFile(m[1]!, scheduled, 'text');
  }
  for (const s of scripts) await scanFile(s, true, 'text');
  for (const p of await expand(t, TOOL_CONFIGS)) await scanFile(p, false, 'text');
  for (const p of await expand(t, BORGMATIC)) {
    const text = await readSmall(t, p);
    if (text === null) continue;
    scanned.push(p);
    take(p, scanBorgmatic(text, rclone), false);
  }
  return { destinations, repositoryChecks, scanned };
}

export async function collectBackups(ctx: CollectContext) {
  const t = ctx.target;
  const locations: BackupLocation[] = [];
  for (const d of ctx.config.backup_dirs) locations.push(await scanLocation(t, d));
  return collected<BackupFacts>({ locations, ...(await scanBackupTools(t)) });
}

export const backupsCollector = defineCollector({
  key: 'backups',
  gathers: (g) => ({
    files: [{ path: '/etc/crontab', maxBytes: MAX_TEXT }],
    globs: [
      ...RCLONE,
      ...['/etc/cron.d', '/var/spool/cron/crontabs', '/etc/cron.hourly', '/etc/cron.daily', '/etc/cron.weekly', '/etc/cron.monthly'].map(
        (d) => ({ pattern: `${d}/*`, maxBytes: MAX_TEXT }),
      ),
      ...['timer', 'service'].map((x) => ({ pattern: `${UNIT_DIR}/*.${x}`, maxBytes: MAX_TEXT })),
      ...TOOL_CONFIGS,
      ...BORGMATIC,
    ],
    paths: g.config.backup_dirs,
  }),
  collect: (ctx) => collectBackups(ctx),
});
