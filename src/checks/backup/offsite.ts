import { defineCheck } from '../define.js';
import { fail, manual, pass, type Evidence } from '../verdict.js';

export default defineCheck({
  id: 'backup.offsite',
  remediation:
    'Send backups to a repository on another host or provider (restic/borg over sftp:, s3:, rest:, b2:, ssh://, or an rclone remote) from a scheduled job.',
  needs: ['backups'],
  evaluate({ backups: b }) {
    const ev = (d: (typeof b.destinations)[number]): Evidence => ({
      ...d.source,
      message: `${d.tool} → ${d.target}: ${d.reason}${d.scheduled ? ' (scheduled)' : ' (tool configuration)'}`,
    });
    const remote = b.destinations.filter((d) => d.remote);
    if (remote.length > 0) {
      const sched = remote.filter((d) => d.scheduled);
      const note = sched.length > 0 ? '' : ' (found in tool configuration; no schedule running it was seen)';
      return pass(`backups go to ${[...new Set(remote.map((d) => `${d.target} (${d.reason})`))].join(', ')}${note}`, remote.map(ev));
    }
    if (b.destinations.length > 0)
      return fail(
        `every backup destination is on this host: ${[...new Set(b.destinations.map((d) => `${d.target} (${d.reason})`))].join(', ')}`,
        b.destinations.map(ev),
      );
    return manual(
      `no backup tool configuration or schedule names a destination (read: ${b.scanned.length > 0 ? b.scanned.join(', ') : 'no cron or systemd timer job, no restic/borg/rclone config'})`,
    );
  },
});
