import { defineCheck } from '../define.js';
import { fail, pass, type Evidence } from '../verdict.js';
import type { LogFile } from '../../facts/packages.js';

/** The guide (2.1): the change log must hold at least 90 days. */
const MIN_HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

function earliest(logs: LogFile[]): string | null {
  const firsts = logs
    .map((l) => l.first)
    .filter((x): x is string => x !== null)
    .sort();
  return firsts[0] ?? null;
}

function logEvidence(l: LogFile): Evidence {
  return { path: l.path, message: l.error ?? `${l.entries} entries, ${l.first ?? '?'} … ${l.last ?? '?'}` };
}

export default defineCheck({
  id: 'patch.inventory',
  remediation:
    'Keep /var/log/apt/history.log and its rotations for at least 90 days (logrotate: /etc/logrotate.d/apt, rotate 12 monthly) and archive the package inventory with each audit.',
  needs: ['packages'],
  evaluate({ packages: p }, ctx) {
    const origins = Object.entries(p.inventory.byOrigin).sort((a, b) => b[1] - a[1]);
    const inv: Evidence[] = [
      {
        ...p.inventory.source,
        message: `${p.inventory.count} installed packages: ${origins.map(([o, n]) => `${n} from ${o}`).join(', ')}`,
      },
    ];
    const logs = [...p.history.apt, ...p.history.dpkg].map(logEvidence);
    const apt = p.history.apt.filter((l) => l.error === null && l.entries > 0);
    const first = earliest(apt);
    if (first === null) {
      const why = p.history.apt.length === 0 ? '/var/log/apt/history.log is missing' : 'apt history logs hold no readable entry';
      return fail(`${why}: no change log of package updates`, [{ path: '/var/log/apt/history.log', message: why }, ...logs, ...inv]);
    }
    const days = Math.floor((ctx.now.getTime() - Date.parse(first)) / DAY_MS);
    const dpkgFirst = earliest(p.history.dpkg.filter((l) => l.error === null));
    const span = `apt history covers ${days} days (since ${first}${dpkgFirst ? `; dpkg.log since ${dpkgFirst}` : ''})`;
    if (days < MIN_HISTORY_DAYS) return fail(`${span}, less than ${MIN_HISTORY_DAYS}`, [...logs, ...inv]);
    return pass(`${span}; ${p.inventory.count} packages inventoried`, [...inv, ...logs]);
  },
});
