import { describeSource } from '../../facts/evidence.js';
import type { JournaldFacts, RetainedLogFile } from '../../facts/logging.js';
import { defineCheck } from '../define.js';
import { fail, pass, unknown, warn, type Evidence, type Verdict } from '../verdict.js';

/** The guide, section 5.1. */
const MIN_DAYS = 90;
/** Days per rotation period (logrotate(8): monthly counted as 30, yearly as 365). */
const PERIOD_DAYS = { hourly: 1 / 24, daily: 1, weekly: 7, monthly: 30, yearly: 365 } as const;

type Judged = { status: 'pass' | 'warn' | 'fail'; text: string; evidence: Evidence[] };
const RANK = { pass: 0, warn: 1, fail: 2 } as const;

function judgeFile(f: RetainedLogFile): Judged {
  const lr = f.logrotate;
  if (!lr)
    return {
      status: 'pass',
      text: `${f.path}: no logrotate definition, never rotated (kept until deleted)`,
      evidence: [{ ...f.writtenBy, message: `${f.path} written here, not rotated` }],
    };
  const c = lr.criterion.value;
  const ev = (o: { source: Evidence }, m: string): Evidence => ({ ...o.source, message: `${f.path}: ${m}` });
  const maxage = lr.maxage.value;
  const maxageEv = maxage !== null ? [ev(lr.maxage, `maxage ${maxage}`)] : [];
  if (c === 'size') {
    if (maxage !== null && maxage < MIN_DAYS) return { status: 'fail', text: `${f.path}: maxage ${maxage} days`, evidence: maxageEv };
    return {
      status: 'warn',
      text: `${f.path}: rotated by size only (${lr.size.value ?? '?'} bytes, rotate ${lr.rotate.value}): retention depends on log volume and cannot be decided`,
      evidence: [ev(lr.criterion, 'size-only rotation'), ev(lr.rotate, `rotate ${lr.rotate.value}`), ...maxageEv],
    };
  }
  const base = [ev(lr.criterion, c), ev(lr.rotate, `rotate ${lr.rotate.value}`), ...maxageEv];
  const byCount = lr.rotate.value < 0 ? Infinity : lr.rotate.value * PERIOD_DAYS[c];
  const days = Math.min(byCount, maxage ?? Infinity);
  const how = `rotate ${lr.rotate.value} × ${c}${maxage !== null ? `, maxage ${maxage}` : ''}`;
  const shown = days === Infinity ? 'unlimited' : `${Math.round(days * 10) / 10} days`;
  if (days < MIN_DAYS) return { status: 'fail', text: `${f.path}: ${how} = ${shown}`, evidence: base };
  if (lr.maxsize.value !== null)
    return {
      status: 'warn',
      text: `${f.path}: ${how} = ${shown}, but maxsize ${lr.maxsize.value} bytes rotates earlier when the log grows`,
      evidence: [...base, ev(lr.maxsize, `maxsize ${lr.maxsize.value}`)],
    };
  return { status: 'pass', text: `${f.path}: ${how} = ${shown}`, evidence: base };
}

function judgeJournal(j: JournaldFacts): Judged {
  const st = j.storage.value;
  const stEv: Evidence = { ...j.storage.source, message: `Storage=${st}` };
  if (!j.present)
    return { status: 'fail', text: 'no syslog daemon writes auth/syslog files and there is no systemd-journald', evidence: [j.evidence] };
  if (st === 'none' || st === 'volatile')
    return {
      status: 'fail',
      text: `journald Storage=${st}: logs ${st === 'none' ? 'are dropped' : 'are lost at reboot (kept in /run)'}`,
      evidence: [stEv],
    };
  if (st === 'auto' && !j.persistentDir)
    return {
      status: 'fail',
      text: 'journald Storage=auto without /var/log/journal: logs are kept in /run only and lost at reboot',
      evidence: [stEv, { path: '/var/log/journal', message: 'does not exist' }],
    };
  const r = j.maxRetentionSec.value;
  const rEv: Evidence = {
    ...j.maxRetentionSec.source,
    message: r === null ? 'MaxRetentionSec unset (no time limit)' : `MaxRetentionSec ${Math.round((r / 86400) * 10) / 10} days`,
  };
  if (r !== null && r < MIN_DAYS * 86400)
    return {
      status: 'fail',
      text: `journald MaxRetentionSec is ${Math.round((r / 86400) * 10) / 10} days (${describeSource(j.maxRetentionSec.source)})`,
      evidence: [rEv, stEv],
    };
  const caps = [j.systemMaxUse, j.systemKeepFree].filter((c) => c.value !== null);
  const capText = caps.map((c) => `${c === j.systemMaxUse ? 'SystemMaxUse' : 'SystemKeepFree'}=${c.value}`).join(', ');
  if (caps.length > 0)
    return {
      status: 'warn',
      text: `journald keeps logs persistently (${r === null ? 'no time limit' : `${Math.round(r / 86400)} days`}) but ${capText} can delete them before 90 days`,
      evidence: [stEv, rEv, ...caps.map((c) => ({ ...c.source, message: capText }))],
    };
  return {
    status: 'pass',
    text: `journald keeps logs persistently (Storage=${st}) with ${r === null ? 'no time limit' : `MaxRetentionSec ${Math.round(r / 86400)} days`} (journald's default size caps apply)`,
    evidence: [stEv, rEv],
  };
}

export default defineCheck({
  id: 'log.retention',
  remediation:
    'Keep auth and syslog files at least 90 days: in /etc/logrotate.d/rsyslog set `rotate 13` with `weekly` (or `daily` + `rotate 90`) and no smaller maxage; for the journal set Storage=persistent and MaxRetentionSec unset or >= 90d.',
  fix: {
    fixes: ['log.retention'],
    risk: 'safe',
    steps: [
      ...['/var/log/auth.log', '/var/log/syslog'].flatMap((section) => [
        { kind: 'set-directive' as const, service: 'logrotate' as const, directive: 'frequency', value: 'weekly', section },
        { kind: 'set-directive' as const, service: 'logrotate' as const, directive: 'rotate', value: '13', section },
        { kind: 'set-directive' as const, service: 'logrotate' as const, directive: 'maxage', value: String(MIN_DAYS + 1), section },
      ]),
      { kind: 'set-directive', service: 'journald', directive: 'Storage', value: 'persistent' },
      { kind: 'set-directive', service: 'journald', directive: 'MaxRetentionSec', value: `${MIN_DAYS}d` },
    ],
    note: 'rotate 13 × weekly = 91 days for the auth and syslog files where logrotate rotates them; the journal kept on disk for 90 days.',
  },
  needs: ['logging'],
  evaluate({ logging: l }): Verdict {
    const judged = l.logFiles.length > 0 ? l.logFiles.map(judgeFile) : [judgeJournal(l.journald)];
    const worst = judged.reduce((a, b) => (RANK[b.status] > RANK[a.status] ? b : a));
    const decisive = judged.filter((j) => j.status === worst.status);
    const summary =
      decisive.map((j) => j.text).join('; ') +
      (judged.length > decisive.length
        ? ` (also: ${judged
            .filter((j) => j.status !== worst.status)
            .map((j) => j.text)
            .join('; ')})`
        : '');
    const evidence = judged.flatMap((j) => j.evidence);
    // A configuration file that could not be read may hold the setting that decides: never guess.
    // (Parse problems are judged as the service itself treats them, by the collector.)
    const errors = (l.logFiles.length > 0 ? l.logrotate.errors : l.journald.errors).filter((e) => e.unreadable);
    if (errors.length > 0)
      return unknown(`cannot decide: ${errors.map((e) => e.message).join('; ')} (from what could be read: ${worst.status}: ${summary})`, [
        ...errors.map((e) => ({ ...e.source, message: e.message })),
        ...evidence,
      ]);
    const fn = worst.status === 'pass' ? pass : worst.status === 'warn' ? warn : fail;
    return fn(summary, evidence);
  },
});
