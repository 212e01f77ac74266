import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';

export default defineCheck({
  id: 'ids.file-integrity',
  remediation:
    'Install aide (apt install aide), initialise its database (aideinit), and enable the daily check (systemctl enable --now dailyaidecheck.timer, or /etc/cron.daily/aide with cron).',
  fix: {
    fixes: ['ids.file-integrity'],
    risk: 'safe',
    steps: [
      { kind: 'command', argv: ['apt-get', 'install', '-y', 'aide'], purpose: 'install AIDE' },
      { kind: 'command', argv: ['aideinit', '-y', '-f'], purpose: 'initialise the AIDE database (reads every file: minutes of I/O)' },
      { kind: 'command', argv: ['systemctl', 'enable', '--now', 'dailyaidecheck.timer'], purpose: 'run the daily AIDE check' },
    ],
  },
  needs: ['ids'],
  evaluate({ ids: { fileIntegrity: f } }) {
    if (!f.tool)
      return fail('neither AIDE nor Tripwire is installed', {
        path: '/var/lib/dpkg/status',
        message: 'no aide or tripwire package, no /usr/bin/aide or /usr/sbin/tripwire',
      });
    const db = f.database;
    const dbEv: Evidence = { ...(db.path ? { path: db.path } : {}), ...(db.source.path && !db.path ? db.source : {}), message: db.detail };
    if (f.config.state === 'unreadable')
      return unknown(`${f.tool} is installed but ${f.config.path} cannot be read: ${f.config.detail ?? ''}`, {
        path: f.config.path,
        message: f.config.detail ?? 'unreadable',
      });
    if (f.config.state === 'missing')
      return fail(`${f.tool} is installed but its configuration ${f.config.path} is missing (aide-common not installed?)`, {
        path: f.config.path,
        message: f.config.detail ?? 'missing',
      });
    if (!db.path)
      return fail(`${f.tool} is installed but its database location is not configured (${db.detail})`, [
        { ...db.source, message: db.detail },
      ]);
    if (db.exists === null)
      return unknown(`${f.tool} is installed, but whether its database ${db.path} exists cannot be told (${db.detail})`, [
        dbEv,
        { ...db.source, message: 'database location' },
      ]);
    if (!db.exists)
      return fail(`the ${f.tool} database ${db.path} is not initialised (${db.detail})`, [
        dbEv,
        { ...db.source, message: 'database location' },
      ]);
    const active = f.schedule.entries.filter((e) => e.active);
    const sched: Evidence[] = f.schedule.entries.map((e) => ({ ...e.source, message: `${e.kind}: ${e.detail}` }));
    if (active.length === 0) {
      return fail(
        `the ${f.tool} database ${db.path} exists but no periodic check is scheduled${f.schedule.entries.length ? ` (${f.schedule.entries.map((e) => e.detail).join('; ')})` : ''}`,
        sched.length
          ? [...sched, dbEv]
          : [
              { path: '/etc/cron.daily', message: 'no aide/tripwire job in cron.daily, /etc/crontab, /etc/cron.d or a systemd timer' },
              dbEv,
            ],
      );
    }
    return pass(
      `${f.tool} database ${db.path} (${db.detail}, written ${db.mtime ?? '?'}); checked by ${active.map((e) => e.kind).join(', ')}`,
      [dbEv, ...sched],
    );
  },
});
