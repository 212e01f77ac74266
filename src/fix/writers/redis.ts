// Redis (src/config.c loadServerConfigFromString): directives are read in order, includes expanded where
// they stand, and the last value of a single-valued option wins. Rampart replaces the last occurrence in
// place (after every include, else at the end), comments earlier ones out with a marker, keeps the rest.
import { splitArgs } from '../../collect/parse/redis-config.js';
import { bytes, currentText, notesOf, setLastWins } from './_lib.js';
import type { DirectiveWriter, WriterOutcome } from './types.js';

export const REDIS_CONF = '/etc/redis/redis.conf';
/** Options that accumulate instead of the last one winning: a set-directive cannot express them. */
const ACCUMULATING = new Set(['rename-command', 'include', 'loadmodule', 'user', 'save', 'client-output-buffer-limit']);

const firstWord = (line: string): string | null => {
  const t = line.trim();
  if (t === '' || t.startsWith('#')) return null;
  return (splitArgs(t)?.[0] ?? t.split(/\s+/)[0] ?? '').toLowerCase();
};

export const writer: DirectiveWriter = {
  service: 'redis',
  async write({ target, mode, step, pending }): Promise<WriterOutcome> {
    const name = step.directive.toLowerCase();
    if (ACCUMULATING.has(name)) return { ok: false, refused: `${name} accumulates in redis.conf: not a single value to set` };
    if (splitArgs(step.value) === null) return { ok: false, refused: `unbalanced quotes in the value for ${name}` };
    const cur = await currentText(target, pending, REDIS_CONF);
    if ('error' in cur) return { ok: false, refused: cur.error };
    if (!cur.exists) return { ok: false, refused: `${REDIS_CONF} does not exist: is redis-server installed?` };
    const e = setLastWins(
      cur.text,
      (l) => firstWord(l) === name,
      `${name} ${step.value}`,
      (l) => firstWord(l) === 'include',
    );
    return {
      ok: true,
      result: {
        changes: [{ path: REDIS_CONF, content: bytes(e.text) }],
        // No offline checker in Redis 7.0 (no --check-config): the test starts redis-server on the result.
        reload: mode === 'live' ? [['systemctl', 'restart', 'redis-server']] : [],
        decidedBy: { path: REDIS_CONF, line: e.line },
        ...(e.before !== null ? { before: e.before.trim() } : {}),
        notes: notesOf(REDIS_CONF, e),
      },
    };
  },
};
