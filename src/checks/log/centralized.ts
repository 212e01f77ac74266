import type { LogDestination, Shipper } from '../../facts/logging.js';
import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';

const where = (d: LogDestination) => `${d.host}${d.port !== null ? `:${d.port}` : ''}${d.protocol ? ` (${d.protocol})` : ''}`;
const at = (d: LogDestination, message: string): Evidence => ({ ...d.source, message });

/** Why a shipper with a remote destination still does not ship: not enabled, not running, config rejected. */
function blocker(s: Shipper, live: boolean): string | null {
  if (s.validation && !s.validation.ok) return `${s.kind} rejects its configuration (${s.validation.detail})`;
  if (s.enabledAtBoot !== true) return `${s.kind} is not enabled at boot`;
  if (live && s.running === false) return `${s.kind} is not running`;
  return null;
}

export default defineCheck({
  id: 'log.centralized',
  remediation:
    'Forward logs to the central store: e.g. /etc/rsyslog.d/90-forward.conf with `*.* action(type="omfwd" target="logs.example.net" port="6514" protocol="tcp")`, or a promtail/Alloy/Filebeat/Vector/Fluent Bit output to a non-loopback host; enable the service at boot.',
  needs: ['logging'],
  evaluate({ logging: l }, ctx) {
    const installed = l.shippers.filter((s) => s.installed);
    if (installed.length === 0)
      return fail(
        'no log shipper is installed (rsyslog, syslog-ng, systemd-journal-upload, promtail, Alloy, Filebeat, Elastic Agent, Fluent Bit, Vector or a cloud agent)',
        { note: 'no shipper package or binary found' },
      );
    const shipping: { s: Shipper; d: LogDestination[] }[] = [];
    const bad: Evidence[] = [];
    for (const s of installed) {
      const remote = s.destinations.filter((d) => d.remote && d.inactive === null);
      for (const d of s.destinations.filter((x) => !x.remote || x.inactive !== null))
        bad.push(at(d, `${s.kind} → ${where(d)}: ${d.inactive ?? 'loopback, the logs stay on this host'}`));
      if (remote.length === 0) continue;
      const why = blocker(s, ctx.live);
      if (why)
        bad.push(
          ...remote.map((d) => at(d, `${s.kind} → ${where(d)}, but ${why}`)),
          ...(s.validation && !s.validation.ok ? [{ ...s.validation.source, message: s.validation.detail }] : s.enabledEvidence),
        );
      else shipping.push({ s, d: remote });
    }
    if (shipping.length > 0) {
      const text = shipping.map(({ s, d }) => `${s.kind} → ${d.map(where).join(', ')}`).join('; ');
      return pass(
        `logs are shipped: ${text}`,
        shipping.flatMap(({ s, d }) => [...d.map((x) => at(x, `${s.kind} → ${where(x)} (${x.via})`)), ...s.enabledEvidence]),
      );
    }
    // A configuration file that could not be read may hold the destination: not seen is no "none".
    const unseen: Evidence[] = installed.flatMap((s) =>
      s.errors.filter((e) => e.unreadable).map((e) => ({ ...e.source, message: `${s.kind}: ${e.message}` })),
    );
    if (unseen.length > 0)
      return unknown(`no remote destination was seen, but ${unseen.map((u) => u.message).join('; ')}`, [...unseen, ...bad]);
    const names = installed.map((s) => s.kind).join(', ');
    if (bad.length === 0)
      return fail(
        `${names} installed but no remote destination is configured`,
        installed.map((s) => ({
          path: s.configFiles[0] ?? s.installedEvidence.path ?? '',
          message: `${s.kind}: no forwarding destination in ${s.configFiles.join(', ') || 'its configuration'}`,
        })),
      );
    return fail(`no shipper sends logs off the host: ${bad.map((b) => b.message).join('; ')}`, bad);
  },
});
