// A postgresql.conf value as PostgreSQL 15 checks it (guc.c parse_and_validate_value: parse_bool,
// parse_int / parse_real with strtol's base 0, fractions rounded, units converted to the parameter's
// base unit, bounds; enums matched case-insensitively, hidden spellings included), and the value
// `postgres -C` then shows. Checked against postgres 15 by test/postgres/agree.test.ts. Unknown names
// without a "." are refused ("unrecognized configuration parameter"); internal ones cannot be set.
import { parsePgBool } from './pg-conf.js';
import { PG15_GUCS, PG15_HIDDEN_ENUM } from './pg15-gucs.js';

export type PgValueCheck = { ok: true; value: string } | { ok: false; message: string };

const MEMORY: Record<string, number> = { B: 1 / 1024, kB: 1, MB: 1024, GB: 1024 ** 2, TB: 1024 ** 3 };
const TIME: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };
/** Base unit → [table, size of the base unit in the table's unit]. */
const BASE: Record<string, [Record<string, number>, number]> = {
  B: [MEMORY, 1 / 1024],
  kB: [MEMORY, 1],
  '8kB': [MEMORY, 8],
  MB: [MEMORY, 1024],
  ms: [TIME, 1],
  s: [TIME, 1000],
  min: [TIME, 60_000],
};
const HINT_MEMORY = 'Valid units for this parameter are "B", "kB", "MB", "GB", and "TB".';
const HINT_TIME = 'Valid units for this parameter are "us", "ms", "s", "min", "h", and "d".';

/** strtol(s, &end, 0) after leading whitespace: [value, rest] or null. */
function strtol(s: string): [number, string] | null {
  const m = /^[ \t\n\r\f\v]*([-+]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)/.exec(s);
  if (!m) return null;
  const body = m[2]!;
  const n = /^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : body.length > 1 && body.startsWith('0') ? parseInt(body, 8) : Number(body);
  return [m[1] === '-' ? -n : n, s.slice(m[0].length)];
}

/** strtod after leading whitespace (decimal, inf, nan): [value, rest] or null. */
function strtod(s: string): [number, string] | null {
  const m = /^[ \t\n\r\f\v]*([-+]?)(infinity|inf|nan|(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)/i.exec(s);
  if (!m) return null;
  const w = m[2]!.toLowerCase();
  const n = w.startsWith('inf') ? Infinity : w === 'nan' ? NaN : Number(m[2]);
  return [m[1] === '-' ? -n : n, s.slice(m[0].length)];
}

/** convert_to_base_unit: the unit must be spelled exactly (trailing spaces allowed). */
function toBase(v: number, unitText: string, base: string): number | null {
  const b = BASE[base];
  if (!b) return null;
  const u = unitText.replace(/[ \t\n\r\f\v]+$/, '');
  const mult = b[0][u];
  if (mult === undefined) return null;
  return (v * mult) / b[1];
}

function numeric(name: string, text: string, unit: string, integer: boolean, min: number | null, max: number | null): PgValueCheck {
  let parsed: [number, string] | null = integer ? strtol(text) : null;
  if (!integer || parsed === null || /^[.eE]/.test(parsed[1]) || !Number.isFinite(parsed[0])) parsed = strtod(text);
  const invalid: PgValueCheck = { ok: false, message: `invalid value for parameter "${name}": "${text}"` };
  if (parsed === null) return invalid;
  let [v, rest] = parsed;
  if (Number.isNaN(v)) return invalid;
  rest = rest.replace(/^[ \t\n\r\f\v]+/, '');
  if (rest !== '') {
    if (!unit) return invalid;
    const b = toBase(v, rest, unit);
    if (b === null)
      return {
        ok: false,
        message: `invalid value for parameter "${name}": "${text}" (${BASE[unit]?.[0] === TIME ? HINT_TIME : HINT_MEMORY})`,
      };
    v = b;
  }
  if (integer) {
    // rint: halves to even.
    v = Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v);
    if (v > 2147483647 || v < -2147483648) return invalid;
  }
  if ((min !== null && v < min) || (max !== null && v > max))
    return {
      ok: false,
      message: `${integer ? v : String(v)}${unit ? ` ${unit}` : ''} is outside the valid range for parameter "${name}" (${min ?? ''} .. ${max ?? ''})`,
    };
  return { ok: true, value: String(v) };
}

/** Whether PostgreSQL 15 accepts `text` for parameter `name` in a configuration file, and the value then. */
export function validatePgValue(name: string, text: string): PgValueCheck {
  const g = PG15_GUCS.get(name);
  if (!g) {
    if (name.includes('.')) return { ok: true, value: text };
    return { ok: false, message: `unrecognized configuration parameter "${name}"` };
  }
  if (g.context === 'internal') return { ok: false, message: `parameter "${name}" cannot be changed` };
  switch (g.type) {
    case 'bool': {
      // parse_bool does not trim: ' on' is refused.
      const b = /^\s|\s$/.test(text) ? null : parsePgBool(text);
      return b === null ? { ok: false, message: `parameter "${name}" requires a Boolean value` } : { ok: true, value: b ? 'on' : 'off' };
    }
    case 'enum': {
      const l = text.toLowerCase();
      const hit = g.values.find((x) => x.toLowerCase() === l) ?? PG15_HIDDEN_ENUM[name]?.[l];
      return hit !== undefined
        ? { ok: true, value: hit }
        : {
            ok: false,
            message: `invalid value for parameter "${name}": "${text}" (Available values: ${g.values.filter(Boolean).join(', ')}.)`,
          };
    }
    case 'integer':
      return numeric(name, text, g.unit, true, g.min, g.max);
    case 'real':
      return numeric(name, text, g.unit, false, g.min, g.max);
    default:
      return { ok: true, value: text };
  }
}
