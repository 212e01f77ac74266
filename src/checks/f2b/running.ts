import { defineCheck } from '../define.js';
import { fail, pass, unknown } from '../verdict.js';
import type { Evidence } from '../verdict.js';

export default defineCheck({
  id: 'f2b.running',
  remediation: 'Enable and start the service (systemctl enable --now fail2ban) after `fail2ban-client -t` accepts the configuration.',
  needs: ['fail2ban'],
  evaluate({ fail2ban: f }, ctx) {
    const boot: Evidence[] = f.service.evidence.length > 0 ? f.service.evidence : [{ note: 'no fail2ban.service unit file and no SysV start link' }];
    const bootText = f.service.masked ? 'masked' : f.service.enabledAtBoot ? 'enabled at boot' : 'not enabled at boot';
    const installed: Evidence = { ...f.installedEvidence, message: 'fail2ban is installed' };
    if (f.config.status === 'invalid' && f.server.state !== 'running') {
      return fail(`fail2ban is ${bootText} but its configuration is invalid, so it cannot start: ${f.config.reason}`, [{ ...f.config.source, message: f.config.reason }, ...boot]);
    }
    if (!ctx.live || f.server.state === 'offline') {
      return f.service.enabledAtBoot
        ? pass('fail2ban is installed and enabled at boot (offline: whether it runs cannot be checked)', [installed, ...boot])
        : fail(`fail2ban is installed but ${bootText}`, [installed, ...boot]);
    }
    if (f.server.state === 'error') return unknown(`whether the fail2ban server runs is not known: ${f.server.detail}`, { ...f.server.source, message: f.server.detail });
    const live: Evidence = { ...f.server.source, message: f.server.detail };
    if (f.server.state === 'not-running') return fail(`the fail2ban server does not answer on ${f.server.socket} (${f.server.detail}); it is ${bootText}`, [live, ...boot]);
    return f.service.enabledAtBoot
      ? pass('the fail2ban server answers ping and is enabled at boot', [live, ...boot])
      : fail(`the fail2ban server runs but is ${bootText}: it will not come back after a reboot`, [live, ...boot]);
  },
});
