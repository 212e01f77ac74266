import { describeSource } from '../../facts/evidence.js';
import type { F2bOption, F2bPortSpec } from '../../facts/fail2ban.js';
import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';
import { logRoutes, sshdJailRefusal } from './running.js';

/** The guide, section 3.3. */
const MAX_RETRY = 3;
const MIN_BANTIME = 3600;
const MIN_FINDTIME = 600;

const covers = (p: F2bPortSpec, port: number) => p.all || p.ranges.some(([a, b]) => a <= port && port <= b);
const at = <T>(o: F2bOption<T>, message: string): Evidence => ({ ...o.source, message });

export default defineCheck({
  id: 'f2b.sshd-jail',
  remediation:
    'In /etc/fail2ban/jail.d/ (a .local file sorts last) set [sshd] enabled = true, maxretry = 3, bantime = 1h, findtime = 10m and port = the port(s) sshd listens on, then reload fail2ban.',
  needs: ['fail2ban', 'sshd', 'logging'],
  evaluate({ fail2ban: f, sshd, logging }) {
    if (f.config.status === 'unreadable') return unknown(`the fail2ban configuration cannot be read: ${f.config.reason}`, f.config.source);
    if (f.config.status === 'invalid')
      return fail(`fail2ban rejects its configuration, so no jail runs: ${f.config.reason}`, {
        ...f.config.source,
        message: f.config.reason,
      });
    const j = f.sshdJail;
    if (!j)
      return fail(`no [sshd] jail is defined in ${f.confDir}`, {
        path: `${f.confDir}/jail.conf`,
        message: 'no [sshd] section in any jail file',
      });
    if (!j.enabled.value)
      return fail(
        `the sshd jail is not enabled (enabled = ${JSON.stringify(j.enabled.text)})`,
        at(j.enabled, `enabled = ${j.enabled.text} (${describeSource(j.enabled.source)})`),
      );
    const refused = sshdJailRefusal(f, logRoutes(logging));
    if (refused) return fail(`the sshd jail is configured but does not run: ${refused.reason}`, refused.evidence);
    const bad: Evidence[] = [];
    const notes: string[] = [];
    const mr = j.maxretry;
    if (mr.value === null || mr.value > MAX_RETRY) bad.push(at(mr, `maxretry is ${mr.text} (at most ${MAX_RETRY})`));
    if (mr.error) notes.push(mr.error);
    const bt = j.bantime;
    if (bt.value === null) bad.push(at(bt, bt.error ?? `bantime ${JSON.stringify(bt.text)} is not a time`));
    else if (bt.value >= 0 && bt.value < MIN_BANTIME) bad.push(at(bt, `bantime is ${bt.text} (${bt.value}s; at least 1h or -1)`));
    const ft = j.findtime;
    if (ft.value === null) bad.push(at(ft, ft.error ?? `findtime ${JSON.stringify(ft.text)} is not a time`));
    else if (ft.value < MIN_FINDTIME) bad.push(at(ft, `findtime is ${ft.text} (${ft.value}s; at least 10m)`));
    const p = j.port.value;
    const allports = (j.actions.value ?? []).slice(0, 1).some((a) => /allports/.test(a));
    if (!allports) {
      if (p === null) bad.push(at(j.port, 'the jail sets no port'));
      else {
        const missed = sshd.ports.filter((n) => !covers(p, n));
        if (missed.length > 0) bad.push(at(j.port, `port = ${j.port.text} does not cover sshd's port ${missed.join(', ')}`));
        if (p.unresolved.length > 0) bad.push(at(j.port, `port names ${p.unresolved.join(', ')} are not in /etc/services`));
      }
    } else notes.push(`ban action ${j.actions.value?.[0] ?? ''} blocks every port`);
    if (sshd.ports.length === 0 && !allports && !p?.all)
      return unknown('the ports sshd listens on are not known, so port coverage cannot be judged', at(j.port, `port = ${j.port.text}`));
    if (f.sshdStatus && !f.sshdStatus.active)
      bad.push({ ...f.sshdStatus.source, message: 'the running server has no sshd jail (configuration changed without a reload?)' });
    for (const d of j.disagreements)
      notes.push(
        `${d.option}: files say ${JSON.stringify(d.files)}, fail2ban-client -d says ${JSON.stringify(d.dump)} (the latter is used)`,
      );
    const values = `maxretry ${mr.text}, bantime ${bt.text}, findtime ${ft.text}, port ${allports ? 'all' : j.port.text} (sshd on ${sshd.ports.join(',') || '?'})`;
    // Files fail2ban itself skips (not UTF-8, unreadable) are named, so nothing is silently ignored.
    const skipped: Evidence[] = f.skipped.map((x) => ({ path: x.path, message: `skipped, as fail2ban skips it: ${x.reason}` }));
    if (skipped.length > 0) notes.push(`${skipped.length} configuration file(s) skipped (see evidence)`);
    const note = notes.length > 0 ? `; ${notes.join('; ')}` : '';
    if (bad.length > 0) return fail(`the sshd jail is enabled but ${bad.map((b) => b.message).join('; ')}${note}`, [...bad, ...skipped]);
    const stricter =
      (mr.value ?? 0) < MAX_RETRY || (bt.value ?? 0) < 0 || (bt.value ?? 0) > MIN_BANTIME || (ft.value ?? 0) > MIN_FINDTIME
        ? ' (stricter than the guide)'
        : '';
    return pass(`the sshd jail is enabled: ${values}${stricter}${note}`, [
      at(j.enabled, 'enabled'),
      at(mr, `maxretry ${mr.text}`),
      at(bt, `bantime ${bt.text}`),
      at(ft, `findtime ${ft.text}`),
      at(j.port, `port ${j.port.text}`),
      ...skipped,
    ]);
  },
});
