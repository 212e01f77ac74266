import { defineCheck } from '../define.js';
import { fail2banOn } from './security-events.js';
import { manual, pass, warn } from '../verdict.js';

export default defineCheck({
  id: 'log.alerts',
  remediation:
    'Send alerts off the host: a fail2ban mail action (action = %(action_mwl)s with destemail = security@example.net) or a webhook action, a Wazuh <email_notification>/<integration>, or an Alertmanager receiver; otherwise record where alerts go with `rampart attest log.alerts`.',
  needs: ['logging', 'fail2ban'],
  optional: ['fail2ban'],
  evaluate({ logging: l, fail2ban }) {
    // The sshd jail's mail and webhook actions count while the jail is on; fail2ban's come first.
    const alerts = [...(fail2banOn(fail2ban) ? fail2ban.value.sshdAlerts : []), ...l.alerts];
    const remote = alerts.filter((a) => !a.local);
    const local = alerts.filter((a) => a.local);
    if (remote.length > 0)
      return pass(
        `alerts are sent: ${remote.map((a) => `${a.via} ${a.target}`).join('; ')}`,
        remote.map((a) => ({ ...a.source, message: `${a.via}: ${a.target}` })),
      );
    if (local.length > 0)
      return warn(
        `alerts go to a mailbox on this host only: ${local.map((a) => `${a.via} ${a.target}`).join('; ')}`,
        local.map((a) => ({ ...a.source, message: `${a.via}: ${a.target} (local delivery)` })),
      );
    return manual('no alert destination is configured in fail2ban, Wazuh/OSSEC or Alertmanager: an attestation names where alerts go', {
      note: 'no mail/webhook action, Wazuh email/integration or Alertmanager receiver found',
    });
  },
});
