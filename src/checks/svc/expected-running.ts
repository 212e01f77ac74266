import { defineCheck } from '../define.js';
import { fail, pass, unknown, type Evidence } from '../verdict.js';

/** Daemons whose master process runs as root by design and drops privileges in its workers. */
const ROOT_MASTER_BY_DESIGN = new Set(['nginx', 'apache2', 'httpd', 'haproxy', 'sshd', 'cron', 'dockerd', 'containerd']);

const sock = (s: { proto: string; address: string; port: number }) =>
  `${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}/tcp`;

export default defineCheck({
  id: 'svc.expected-running',
  remediation:
    'Start the missing services and enable them at boot; run Redis, PostgreSQL and the app server as their own unprivileged users (User= in the unit).',
  needs: ['services'],
  evaluate({ services: s }, ctx) {
    if (!ctx.live) return unknown('needs a live host: running services cannot be seen offline');
    const evidence: Evidence[] = [];
    const missing: string[] = [];
    const asRoot: string[] = [];
    for (const svc of s.services) {
      if (svc.processes.length === 0) {
        missing.push(svc.name);
        evidence.push({ ...s.source, message: `${svc.name}: no process (matched by comm, argv[0], python -m, gunicorn uvicorn workers)` });
        continue;
      }
      for (const p of svc.processes) {
        const root = p.uid === 0 && !ROOT_MASTER_BY_DESIGN.has(svc.name);
        if (root && !asRoot.includes(svc.name)) asRoot.push(svc.name);
        const listening = p.listening.length ? `listening ${p.listening.map(sock).join(', ')}` : 'no listening TCP socket';
        evidence.push({
          ...p.source,
          message: `${svc.name}: pid ${p.pid} user ${p.user ?? p.uid ?? '?'}${root ? ' (root, not needed)' : ''}, ${listening}`,
        });
      }
    }
    const running = s.services.filter((x) => x.processes.length > 0).map((x) => `${x.name} (${x.processes.length})`);
    if (missing.length > 0 || asRoot.length > 0) {
      const parts = [
        missing.length ? `not running: ${missing.join(', ')}` : '',
        asRoot.length ? `running as root: ${asRoot.join(', ')}` : '',
      ].filter(Boolean);
      return fail(`${parts.join('; ')}${running.length ? `; running: ${running.join(', ')}` : ''}`, evidence);
    }
    if (s.services.length === 0) return unknown('config.services is empty: no service to look for', { note: 'config.services' });
    return pass(`all configured services run as unprivileged users: ${running.join(', ')}`, evidence);
  },
});
