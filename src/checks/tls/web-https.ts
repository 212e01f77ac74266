import type { CertificateInfo, WebFacts } from '../../facts/web.js';
import { defineCheck, type EvalContext } from '../define.js';
import { fail, pass, unknown, warn, type Evidence } from '../verdict.js';

const OLD = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);
const GOOD = new Set(['TLSv1.2', 'TLSv1.3']);
const REDIRECTS = new Set([301, 302, 307, 308]);
const DAY = 86_400_000;

function certProblem(c: { notAfter: string | null }, ctx: EvalContext): string | null {
  if (!c.notAfter) return null;
  const left = Math.floor((Date.parse(c.notAfter) - ctx.now.getTime()) / DAY);
  const min = ctx.config.periods.cert_min_validity;
  if (left < 0) return `certificate expired on ${c.notAfter.slice(0, 10)}`;
  return left < min ? `certificate expires on ${c.notAfter.slice(0, 10)} (${left} days left; at least ${min} required)` : null;
}

const certText = (c: CertificateInfo) => `${c.path ?? 'managed'}: ${c.subject ?? '?'}, notAfter ${c.notAfter?.slice(0, 10) ?? '?'}`;

export default defineCheck({
  id: 'tls.web-https',
  remediation:
    'Serve the site on 443 with ssl_protocols TLSv1.2 TLSv1.3 and a certificate renewed well before expiry; make every port-80 server block `return 301 https://$host$request_uri;`.',
  needs: ['web'],
  evaluate({ web }: { web: WebFacts }, ctx) {
    const { https: tlsPort, http: httpPort } = web.ports;
    for (const s of web.servers) {
      if (s.config.status === 'invalid')
        return fail(`the ${s.kind} configuration is rejected: ${s.config.reason}`, { ...s.config.source, message: s.config.reason });
      if (s.config.status === 'unreadable')
        return unknown(`the ${s.kind} configuration cannot be read: ${s.config.reason}`, s.config.source);
    }
    const bad: Evidence[] = [];
    const soft: Evidence[] = [];
    const good: Evidence[] = [];
    const p = web.probe;
    const sites = web.servers.flatMap((s) => s.sites);
    const tlsSites = sites.filter((s) => s.tlsPorts.some((x) => x.port === tlsPort));
    if (tlsSites.length === 0 && p?.https.state !== 'ok')
      bad.push({ ...(sites[0]?.source ?? web.servers[0]!.installedEvidence), message: `no server block listens with TLS on ${tlsPort}` });
    for (const s of tlsSites) {
      const at = s.tlsPorts.find((x) => x.port === tlsPort)!.source;
      good.push({ ...at, message: `TLS on ${tlsPort} (${s.names.join(' ') || 'default'})` });
      const protos = s.protocols?.value ?? [];
      const old = protos.filter((x) => OLD.has(x));
      if (s.protocols && old.length > 0) {
        const e: Evidence = { ...s.protocols.source, message: `protocols ${protos.join(' ')} include ${old.join(', ')}` };
        if (p?.https.legacy === 'refused')
          soft.push({
            ...e,
            message: `${e.message ?? ''}; the running server refuses TLS 1.0/1.1 (OpenSSL security level), drift between config and runtime`,
          });
        else bad.push(e);
      }
      if (s.protocols && !protos.some((x) => GOOD.has(x)))
        bad.push({ ...s.protocols.source, message: `protocols ${protos.join(' ')} offer neither TLSv1.2 nor TLSv1.3` });
      const c = s.certificate;
      if (!c) bad.push({ ...at, message: 'no certificate configured' });
      else if (c.error) soft.push({ ...c.source, message: `certificate ${c.path ?? ''}: ${c.error}` });
      else {
        const problem = certProblem(c, ctx);
        if (problem) bad.push({ ...c.source, message: `${problem} (${certText(c)})` });
        else if (c.path) good.push({ ...c.source, message: certText(c) });
      }
    }
    for (const s of sites.filter((x) => x.plainPorts.some((y) => y.port === httpPort))) {
      const at = s.plainPorts.find((y) => y.port === httpPort)!.source;
      if (s.redirect)
        good.push({ ...s.redirect.source, message: `port ${httpPort} redirects (${s.redirect.status}) to ${s.redirect.target}` });
      else
        bad.push({
          ...at,
          message: `port ${httpPort} serves content instead of redirecting to https (${s.names.join(' ') || 'default server'})`,
        });
    }
    if (p) {
      const h = p.https;
      if (h.state !== 'ok') bad.push({ ...h.source, message: `${tlsPort}: ${h.detail}` });
      else {
        if (!GOOD.has(h.protocol ?? '')) bad.push({ ...h.source, message: `${tlsPort} negotiated ${h.protocol ?? '?'}` });
        const problem = certProblem(h, ctx);
        (problem ? bad : good).push({
          ...h.source,
          message: `${problem ? `${problem}: ` : ''}${h.protocol ?? '?'} ${h.cipher ?? ''}, ${h.subject ?? '?'}, notAfter ${h.notAfter?.slice(0, 10) ?? '?'}`,
        });
        if (h.legacy === 'accepted') bad.push({ ...h.source, message: `${tlsPort} also completes a TLS 1.0/1.1 handshake` });
      }
      const r = p.http;
      if (r.state === 'ok' && r.status !== null && REDIRECTS.has(r.status) && /^https:\/\//i.test(r.location ?? ''))
        good.push({ ...r.source, message: r.detail });
      else if (r.state === 'ok') bad.push({ ...r.source, message: `${httpPort} answers ${r.detail} instead of a redirect to https` });
      else if (r.state === 'closed') good.push({ ...r.source, message: `${httpPort}: ${r.detail}` });
      else soft.push({ ...r.source, message: `${httpPort}: ${r.detail}` });
    }
    const msgs = (e: Evidence[]) => e.map((x) => x.message).join('; ');
    if (bad.length > 0) return fail(msgs(bad), [...bad, ...soft]);
    if (soft.length > 0) return warn(msgs(soft), [...soft, ...good]);
    return pass(`${p ? 'live and configured: ' : 'configured: '}${msgs(good.slice(0, 4))}`, good);
  },
});
