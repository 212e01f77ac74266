import { defineCheck } from '../define.js';
import { fail, pass, warn, type Evidence } from '../verdict.js';
import type { AptSetting } from '../../facts/packages.js';

/**
 * apt.systemd.daily (apt 2.6): APT::Periodic::* intervals are days, "always" runs every time, 0 (the
 * default when unset) disables the step. The guide asks for "1" (daily).
 */
function judgeInterval(s: AptSetting): { level: 'ok' | 'warn' | 'fail'; text: string } {
  const shown = s.value === null ? 'not set (0)' : `"${s.value}"`;
  if (s.value === 'always' || s.value === '1') return { level: 'ok', text: `${s.key} is ${shown}` };
  if (s.value !== null && /^\d+$/.test(s.value) && Number(s.value) > 1)
    return { level: 'warn', text: `${s.key} is ${shown}: every ${Number(s.value)} days, not daily` };
  return { level: 'fail', text: `${s.key} is ${shown}: disabled` };
}

export default defineCheck({
  id: 'patch.auto-security-updates',
  remediation:
    'Install unattended-upgrades, set APT::Periodic::Update-Package-Lists "1" and APT::Periodic::Unattended-Upgrade "1" in /etc/apt/apt.conf.d/20auto-upgrades (no later file overriding them), and keep the security origin in Unattended-Upgrade::Origins-Pattern.',
  fix: {
    fixes: ['patch.auto-security-updates'],
    risk: 'safe',
    steps: [
      {
        kind: 'command',
        argv: ['apt-get', 'install', '-y', 'unattended-upgrades'],
        purpose: 'install unattended-upgrades (Debian security origin by default)',
      },
      { kind: 'set-directive', service: 'apt', directive: 'APT::Periodic::Update-Package-Lists', value: '1' },
      { kind: 'set-directive', service: 'apt', directive: 'APT::Periodic::Unattended-Upgrade', value: '1' },
    ],
  },
  needs: ['packages'],
  evaluate({ packages: p }) {
    const fails: Evidence[] = [];
    const warns: Evidence[] = [];
    const oks: Evidence[] = [];
    if (!p.unattendedUpgrades.installed) fails.push({ ...p.unattendedUpgrades.source, message: 'unattended-upgrades is not installed' });
    else oks.push({ ...p.unattendedUpgrades.source, message: `unattended-upgrades ${p.unattendedUpgrades.version ?? ''} is installed` });
    for (const e of p.aptConf.errors)
      fails.push({
        path: e.path,
        ...(e.line > 0 ? { line: e.line } : {}),
        message: `apt cannot read its configuration (apt and unattended-upgrades stop): ${e.message}`,
      });
    if (p.aptConf.enable.value !== null && /^0+$/.test(p.aptConf.enable.value))
      fails.push({ ...p.aptConf.enable.source, message: 'APT::Periodic::Enable is "0": the daily apt jobs are off' });
    for (const s of [p.aptConf.updatePackageLists, p.aptConf.unattendedUpgrade]) {
      const j = judgeInterval(s);
      const ev = { ...s.source, message: j.text };
      (j.level === 'ok' ? oks : j.level === 'warn' ? warns : fails).push(ev);
    }
    const patterns = [...p.aptConf.originsPattern, ...p.aptConf.allowedOrigins];
    const sec = p.aptConf.securityOrigins.map((o) => `${o.origin}/${o.label} ${o.codename || o.suite}`).join(', ') || 'unknown';
    const match = patterns.find((o) => o.matchesSecurity);
    if (match) oks.push({ ...match.source, message: `allowed origin "${match.expanded}" covers the security suite (${sec})` });
    else if (patterns.length === 0)
      fails.push({
        note: 'Unattended-Upgrade::Origins-Pattern and Allowed-Origins are empty',
        message: `no allowed origin: unattended-upgrades installs nothing (security suite ${sec})`,
      });
    else fails.push(...patterns.map((o) => ({ ...o.source, message: `"${o.expanded}" does not match the security suite (${sec})` })));
    for (const tm of p.timers) {
      if (tm.masked) fails.push({ ...tm.source, message: `${tm.name} is masked: the daily apt jobs never run` });
      else if (tm.unitExists && !tm.enabled) warns.push({ ...tm.source, message: `${tm.name} is not enabled at boot` });
    }
    if (fails.length > 0) return fail(fails.map((f) => f.message).join('; '), [...fails, ...warns]);
    if (warns.length > 0) return warn(warns.map((f) => f.message).join('; '), [...warns, ...oks]);
    return pass(
      oks
        .slice(1)
        .map((o) => o.message)
        .join('; '),
      oks,
    );
  },
});
