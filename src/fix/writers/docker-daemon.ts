// /etc/docker/daemon.json (dockerd(8) "Daemon configuration file"): one JSON object; a key may not
// also be given as a flag. A step's directive is the key ("icc", or "log-opts.max-size" for a nested
// one), its value JSON text (`false`, `"10m"`). Every other key keeps its value and order; the file
// is written as JSON with two-space indents (JSON keeps no comments). Debian's dockerd 20.10 has no
// `--validate`: the candidate is re-read with Rampart's strict JSON reader (the one the audit uses),
// and the tests start a real dockerd on it.
import { parseJsonWithLines, type JsonObject, type JsonValue } from '../../collect/parse/docker-json.js';
import { DAEMON_JSON } from '../../collect/docker.js';
import { bytes, CONFIG_FILE, currentText } from './_lib.js';
import type { DirectiveWriter, WriterOutcome } from './types.js';

const isObj = (v: JsonValue | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys dockerd reads as booleans, and as strings (log-opts values are strings: "max-file": "3"). */
const BOOLEAN_KEYS = new Set(['icc', 'no-new-privileges', 'live-restore', 'userland-proxy', 'iptables', 'selinux-enabled']);

export function setDaemonKey(
  text: string,
  key: string,
  value: JsonValue,
): { text: string; before: JsonValue | undefined } | { error: string } {
  const base = text.trim() === '' ? ({ ok: true, value: {} } as const) : parseJsonWithLines(text);
  if (!base.ok)
    return {
      error: `${DAEMON_JSON} is not valid JSON (line ${base.line}, column ${base.column}: ${base.message}): dockerd refuses it; fix it by hand first`,
    };
  if (!isObj(base.value)) return { error: `${DAEMON_JSON}: the top level is not a JSON object` };
  const o: JsonObject = base.value;
  const [head, sub, ...more] = key.split('.');
  if (!head || more.length > 0) return { error: `${key}: one nesting level at most` };
  let before: JsonValue | undefined;
  if (sub === undefined) {
    before = o[head];
    o[head] = value;
  } else {
    const inner = o[head] ?? {};
    if (!isObj(inner)) return { error: `${DAEMON_JSON}: "${head}" is not an object` };
    before = inner[sub];
    inner[sub] = value;
    o[head] = inner;
  }
  return { text: `${JSON.stringify(o, null, 2)}\n`, before };
}

export const writer: DirectiveWriter = {
  service: 'docker-daemon',
  async write({ target, mode, step, pending }): Promise<WriterOutcome> {
    let value: JsonValue;
    try {
      value = JSON.parse(step.value) as JsonValue;
    } catch {
      return { ok: false, refused: `docker-daemon: the value of ${step.directive} is JSON text (false, "10m"), not ${step.value}` };
    }
    if (BOOLEAN_KEYS.has(step.directive) && typeof value !== 'boolean')
      return { ok: false, refused: `docker-daemon: ${step.directive} is a boolean` };
    if (step.directive.startsWith('log-opts.') && typeof value !== 'string')
      return { ok: false, refused: `docker-daemon: log-opts values are strings` };
    const cur = await currentText(target, pending, DAEMON_JSON);
    if ('error' in cur) return { ok: false, refused: cur.error };
    const r = setDaemonKey(cur.exists ? cur.text : '', step.directive, value);
    if ('error' in r) return { ok: false, refused: r.error };
    const check = parseJsonWithLines(r.text);
    const o = check.ok && isObj(check.value) ? check.value : {};
    // dockerd: "ICC=false uses iptables to function" — it refuses to start with both off.
    if (o.icc === false && o.iptables === false)
      return { ok: false, refused: `${DAEMON_JSON} sets "iptables": false: dockerd refuses to start with "icc": false then` };
    if (!check.ok) return { ok: false, refused: `the new ${DAEMON_JSON} does not parse (a bug: nothing written)` };
    return {
      ok: true,
      result: {
        changes: [{ path: DAEMON_JSON, content: bytes(r.text), ...(cur.exists ? {} : { create: CONFIG_FILE }) }],
        // Most keys (icc, no-new-privileges) are read at start only; live-restore keeps containers running across it.
        reload: mode === 'live' ? [['systemctl', 'restart', 'docker']] : [],
        decidedBy: { path: DAEMON_JSON, line: check.keyLines.get(step.directive) ?? 1 },
        ...(r.before !== undefined ? { before: JSON.stringify(r.before) } : {}),
        notes: [],
      },
    };
  },
};
