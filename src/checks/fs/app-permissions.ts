import { defineCheck } from '../define.js';
import { fail, na, pass, unknown, warn, type Evidence } from '../verdict.js';

/** The guide (section 2.3): files 644, directories 755, listed executables may be 755. */
const FILE_MODE = 0o644;
const DIR_MODE = 0o755;
const MAX_EVIDENCE = 200;

/** A mode with a bit the guide's mode lacks (group/other write, setuid, exec…) is looser; one with fewer bits is stricter. */
const isLooser = (mode: number, allowed: number) => (mode & ~allowed) !== 0;

export default defineCheck({
  id: 'fs.app-permissions',
  remediation:
    'Set files to 644 and directories to 755 under the app dirs (find DIR -type f -exec chmod 644 {} +; find DIR -type d -exec chmod 755 {} +); list real executables in app_executables.',
  fix: {
    fixes: ['fs.app-permissions'],
    risk: 'safe',
    steps: [{ kind: 'tighten-modes', keep: '0644', keepExecutable: '0755' }],
    note: 'Files only, bits removed and never added (a stricter file stays as it is); directories looser than 0755 are listed for chmod by hand.',
  },
  needs: ['appPermissions'],
  evaluate({ appPermissions: a }) {
    const present = a.dirs.filter((d) => d.exists);
    const missing = a.dirs.filter((d) => !d.exists).map((d) => d.path);
    if (present.length === 0) return na(`No application directory exists (${missing.join(', ') || 'app_dirs is empty'})`);
    const broken = present.filter((d) => d.error !== null || d.notScanned.length > 0);
    const loose: Evidence[] = [];
    const strict: Evidence[] = [];
    const links: Evidence[] = [];
    for (const d of present)
      for (const e of d.deviations) {
        const mode = parseInt(e.mode, 8);
        if (e.type === 'symlink')
          links.push({
            path: e.path,
            message: `symlink to ${JSON.stringify(e.linkTarget)} leads out of ${d.path}: not followed, its target is not checked`,
          });
        else if (e.type === 'other') loose.push({ path: e.path, message: `not a regular file or directory (mode ${e.mode})` });
        else {
          const allowed = e.type === 'dir' ? DIR_MODE : a.executables.includes(e.path) ? 0o755 : FILE_MODE;
          const want = e.type === 'dir' ? '0755' : allowed === 0o755 ? '0644 or 0755 (listed executable)' : '0644';
          (isLooser(mode, allowed) ? loose : strict).push({ path: e.path, message: `${e.type} mode ${e.mode}, expected ${want}` });
        }
      }
    const skipped = missing.length > 0 ? `; ${missing.join(', ')} do(es) not exist` : '';
    const trunc = present.some((d) => d.truncated) ? ' (list truncated)' : '';
    const counts = `${present.reduce((n, d) => n + d.files, 0)} files, ${present.reduce((n, d) => n + d.dirs, 0)} directories in ${present.map((d) => d.path).join(', ')}`;
    if (loose.length > 0)
      return fail(
        `${loose.length} path(s) with a looser mode than the guide's, e.g. ${JSON.stringify(loose[0]!.path)}: ${loose[0]!.message}${strict.length > 0 ? `; ${strict.length} stricter` : ''}${trunc}${skipped}`,
        [...loose, ...strict].slice(0, MAX_EVIDENCE).concat(links.slice(0, 20)),
      );
    if (broken.length > 0) {
      const b = broken[0]!;
      return unknown(
        `Could not scan all of ${b.path}: ${b.error ?? `${b.notScanned[0]!.path}: ${b.notScanned[0]!.reason}`}`,
        broken.map((d) => ({ path: d.path, message: d.error ?? `${d.notScanned.length} path(s) not scanned` })),
      );
    }
    if (strict.length > 0)
      return warn(
        `${strict.length} path(s) stricter than the guide's 644/755 (check the application can still read them), e.g. ${JSON.stringify(strict[0]!.path)}: ${strict[0]!.message}${skipped}`,
        [...strict.slice(0, MAX_EVIDENCE), ...links.slice(0, 20)],
      );
    return pass(
      `All ${counts} have the guide's modes${links.length > 0 ? `; ${links.length} symlink(s) lead out and were not followed` : ''}${skipped}`,
      links.length > 0 ? links.slice(0, 20) : { note: counts },
    );
  },
});
