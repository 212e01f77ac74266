import type { Source } from '../../facts/evidence.js';
import { instanceLabel, type RedisFacts, type RedisInstance } from '../../facts/redis.js';
import { unknown, type Verdict } from '../verdict.js';

/** Shared judgement of the redis.* checks: whether an instance can be judged, one verdict over all instances. */

/** Loopback addresses as bind(2) takes them; a leading "-" marks an address Redis may skip. */
export function isLoopback(addr: string): boolean {
  const a = addr.replace(/^-/, '').toLowerCase();
  return /^127\.\d+\.\d+\.\d+$/.test(a) || a === '::1' || a === 'localhost';
}

/** Addresses that mean "every interface". */
export function isWildcard(addr: string): boolean {
  return ['*', '0.0.0.0', '::', '::*', '0:0:0:0:0:0:0:0'].includes(addr.replace(/^-/, ''));
}

interface InstanceVerdict<F> {
  status: 'pass' | 'fail' | 'warn' | 'na' | 'unknown' | 'manual' | 'waived';
  summary: string;
  findings: F[];
}
const RANK = ['fail', 'unknown', 'warn', 'pass', 'manual', 'waived', 'na'] as const;

/** One verdict over several instances: the worst status; each summary prefixed with its instance. */
export function combineInstances<F extends { message: string }>(
  parts: { label: string; verdict: InstanceVerdict<F> }[],
): InstanceVerdict<F> | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!.verdict;
  const status = RANK.find((s) => parts.some((p) => p.verdict.status === s)) ?? 'unknown';
  return {
    status,
    summary: parts.map((p) => `${p.label}: ${p.verdict.summary}`).join('; '),
    findings: parts.flatMap((p) => p.verdict.findings.map((f) => ({ ...f, message: `${p.label}: ${f.message}` }))),
  };
}

/** The check's verdict: each instance judged and combined; unknown when no instance was found. */
export function judgeInstances(redis: RedisFacts, judge: (i: RedisInstance) => Verdict, none = 'no Redis instance was found'): Verdict {
  return (
    combineInstances(redis.instances.map((i) => ({ label: instanceLabel(i), verdict: judge(i) }))) ?? unknown(none, redis.installedEvidence)
  );
}

/**
 * Whether the instance's values can be trusted: unknown (with the reason) when the files are not
 * usable and the server gave nothing, or a live probe failed (timeout, refused, wrong password).
 */
export function undecidable(i: RedisInstance, live: boolean): { reason: string; source: Source } | null {
  if (live && i.live.state === 'error')
    return {
      reason: `the running server could not be probed: ${i.live.detail}`,
      source: i.live.unauthenticated.source.command ? i.live.unauthenticated.source : { note: i.live.endpoint ?? 'probe' },
    };
  if (i.config.status !== 'ok' && i.effectiveFrom === 'files')
    return { reason: `the configuration is ${i.config.status}: ${i.config.reason}`, source: i.config.source };
  return null;
}

/** The CONFIG-based values are not known live (CONFIG renamed to another name, denied, failing). */
export function configUnreadable(i: RedisInstance): string | null {
  const s = i.live.configGet.state;
  return i.live.state === 'ok' && (s === 'renamed' || s === 'denied' || s === 'error') ? i.live.configGet.detail : null;
}
