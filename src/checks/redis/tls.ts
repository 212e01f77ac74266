import type { RedisFileSetting, RedisInstance } from '../../facts/redis.js';
import { configUnreadable, isLoopback, judgeInstances, undecidable } from './_lib.js';
import { defineCheck, type EvalContext } from '../define.js';
import { fail, pass, unknown, type Evidence, type Verdict } from '../verdict.js';

function fileProblem(name: string, f: RedisFileSetting): Evidence | null {
  if (f.value === null) return { ...f.source, message: `${name} is not set` };
  if (!f.file?.exists) return { ...f.source, message: `${name} ${f.value} does not exist (${f.file?.error ?? 'stat failed'})` };
  if (f.file.type !== 'file') return { ...f.source, message: `${name} ${f.value} is not a regular file (${f.file.type ?? '?'})` };
  return null;
}

function judge(i: RedisInstance, ctx: EvalContext): Verdict {
  const u = undecidable(i, ctx.live);
  if (u) return unknown(u.reason, u.source);
  const cfg = configUnreadable(i);
  if (cfg) return unknown(`the running ports cannot be read: ${cfg}`, { note: cfg });
  const tp = i.tlsPort.value ?? 0;
  if (tp === 0)
    return fail(`tls-port is ${i.tlsPort.value ?? '?'}: TLS is off`, {
      ...i.tlsPort.source,
      message: `tls-port ${i.tlsPort.value ?? '?'}`,
    });
  const files = [fileProblem('tls-cert-file', i.tlsCertFile), fileProblem('tls-key-file', i.tlsKeyFile)].filter(
    (e): e is Evidence => e !== null,
  );
  if (files.length > 0) return fail(`tls-port ${tp}, but ${files.map((f) => f.message).join('; ')}`, files);
  const port = i.port.value ?? 0;
  const evidence: Evidence[] = [
    { ...i.tlsPort.source, message: `tls-port ${tp}` },
    { ...i.tlsCertFile.source, message: 'certificate' },
    { ...i.tlsKeyFile.source, message: 'key' },
    { ...i.port.source, message: `port ${port}` },
  ];
  if (port === 0) return pass(`TLS on port ${tp} (certificate and key present), plaintext port 0`, evidence);
  const remote = i.bind.value.filter((a) => !isLoopback(a));
  if (remote.length === 0)
    return pass(`TLS on port ${tp}; plaintext port ${port} bound to loopback only (${i.bind.value.join(' ')})`, [
      ...evidence,
      { ...i.bind.source, message: 'bind' },
    ]);
  return fail(`TLS on port ${tp}, but the plaintext port ${port} is also open on ${remote.join(', ')}`, [
    { ...i.port.source, message: `port ${port}` },
    { ...i.bind.source, message: `bind ${i.bind.value.join(' ')}` },
  ]);
}

export default defineCheck({
  id: 'redis.tls',
  remediation:
    'Set tls-port 6379 (or another), tls-cert-file and tls-key-file (readable by redis only), and port 0 — or keep the plaintext port bound to 127.0.0.1 -::1 only; restart Redis.',
  needs: ['redis'],
  evaluate({ redis }, ctx) {
    return judgeInstances(redis, (i) => judge(i, ctx));
  },
});
