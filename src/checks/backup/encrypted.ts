import { defineCheck } from '../define.js';
import { fail, manual, pass, unknown, warn, type Evidence } from '../verdict.js';

const LIST = 5;
const names = (e: Evidence[]) =>
  e
    .slice(0, LIST)
    .map((x) => x.path)
    .join(', ') + (e.length > LIST ? ` and ${e.length - LIST} more` : '');

export default defineCheck({
  id: 'backup.encrypted',
  remediation:
    'Encrypt every backup before it is written (age -r RECIPIENT, gpg --encrypt, or a restic/borg repository with encryption), then delete the plain copies.',
  needs: ['backups'],
  evaluate({ backups: b }) {
    if (b.locations.length === 0)
      return manual('no backup location is configured (backup_dirs in the Rampart config), so no backup file can be judged');
    const bad: Evidence[] = [];
    const cannot: Evidence[] = [];
    const good: Evidence[] = [];
    for (const l of b.locations) {
      if (l.state !== 'ok') cannot.push({ path: l.dir, message: `backup location ${l.state}: ${l.detail ?? ''}` });
      for (const f of l.files) {
        const e: Evidence = { path: f.path, message: `${f.verdict}: ${f.format}${f.detail ? ` (${f.detail})` : ''}` };
        (f.verdict === 'plain' ? bad : f.verdict === 'unknown' ? cannot : good).push(e);
      }
      for (const r of l.repositories) {
        const e: Evidence[] = r.evidence.map((x) => ({ ...x, message: `${r.tool} repository ${r.path}: ${r.mode ?? 'mode unknown'}` }));
        (r.encrypted === false ? bad : r.encrypted === null ? cannot : good).push(...e.slice(0, 1));
      }
    }
    if (bad.length > 0)
      return fail(
        `${bad.length} backup(s) are not encrypted: ${bad
          .slice(0, LIST)
          .map((e) => `${e.path} (${e.message})`)
          .join('; ')}`,
        [...bad, ...cannot],
      );
    if (cannot.length > 0)
      return warn(`cannot tell whether ${cannot.length} item(s) are encrypted: ${names(cannot)}`, [...cannot, ...good.slice(0, LIST)]);
    if (good.length === 0)
      return unknown(
        `no backup found in ${b.locations.map((l) => l.dir).join(', ')}`,
        b.locations.map((l) => ({ path: l.dir, message: 'empty' })),
      );
    return pass(
      `all ${good.length} backup(s) are encrypted (${[...new Set(good.map((g) => g.message?.split(': ')[1]?.split(' (')[0] ?? ''))].join(', ')})`,
      good,
    );
  },
});
