import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';

export default defineCheck({
  id: 'ids.hids',
  remediation:
    'Install the Wazuh agent (wazuh-agent), set <client><server><address> in /var/ossec/etc/ossec.conf to the manager, enable and start wazuh-agent.',
  needs: ['ids'],
  evaluate({ ids: { hids: h } }, ctx) {
    if (!h.product)
      return fail('no OSSEC or Wazuh agent is installed (no wazuh-agent/ossec-hids-agent package, no /var/ossec/bin/*-agentd)', {
        path: '/var/lib/dpkg/status',
        message: 'no wazuh-agent, ossec-hids-agent or ossec-hids package',
      });
    const installed: Evidence[] = h.installedEvidence.map((e) => ({ ...e, message: `${h.product} is installed` }));
    const conf: Evidence = { path: h.config.path, message: h.config.detail ?? h.config.state };
    if (h.config.state === 'unreadable')
      return unknown(`${h.product} is installed but ${h.config.path} cannot be read: ${h.config.detail ?? ''}`, conf);
    if (h.config.state !== 'ok')
      return fail(`${h.product} is installed but ${h.config.path} is ${h.config.state}: ${h.config.detail ?? ''}`, [conf, ...installed]);
    const mgr = h.config.managers[0];
    if (!mgr)
      return fail(`${h.product} has no manager address in ${h.config.path}${h.config.detail ? `: ${h.config.detail}` : ''}`, [
        conf,
        ...installed,
      ]);
    const managers: Evidence[] = h.config.managers.map((m) => ({
      ...m.source,
      message: `manager ${m.address}${m.port ? `:${m.port}` : ''}${m.protocol ? `/${m.protocol}` : ''}`,
    }));
    const boot: Evidence[] =
      h.boot.evidence.length > 0
        ? h.boot.evidence
        : [
            {
              path: h.boot.unitFile ?? '/etc/systemd/system',
              message: h.boot.unitFile ? 'no enablement symlink in *.wants/' : 'no wazuh-agent/ossec unit file and no SysV start link',
            },
          ];
    if (!h.boot.enabledAtBoot)
      return fail(`${h.product} (manager ${mgr.address}) is ${h.boot.masked ? 'masked' : 'not enabled at boot'}`, [...boot, ...managers]);
    // Live, the processes are part of the requirement: not seen is no pass.
    if (ctx.live && h.processes === null)
      return unknown(
        `${h.product} reports to ${mgr.address} and is enabled at boot, but whether it runs was not seen (the process list could not be read)`,
        [...installed, ...managers, ...boot],
      );
    if (!ctx.live || h.processes === null)
      return pass(`${h.product} reports to ${mgr.address} and is enabled at boot (offline: whether it runs cannot be checked)`, [
        ...installed,
        ...managers,
        ...boot,
      ]);
    const procs = h.processes;
    if (procs.length === 0)
      return fail(`${h.product} is enabled at boot but no wazuh-agentd/ossec-agentd process runs`, [
        { ...h.processesSource, message: 'no agent daemon process' },
        ...boot,
      ]);
    const running: Evidence = { ...h.processesSource, message: procs.map((p) => `${p.comm} pid ${p.pid} (${p.user ?? '?'})`).join(', ') };
    return pass(`${procs[0]!.comm} runs (pid ${procs[0]!.pid}), reports to ${mgr.address}, enabled at boot`, [
      running,
      ...managers,
      ...boot,
    ]);
  },
});
