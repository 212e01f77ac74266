/**
 * fail2ban's MyTime.str2seconds (fail2ban/server/mytime.py): abbreviations become multiplications,
 * groups separated by blanks are added, and the result is evaluated as an arithmetic expression
 * ("1h 30m" = 5400, "1d12h" = 129600, "1hour+30min" = 5400, "-1" = -1, "1h # one hour" = 3600). fail2ban evaluates it with
 * Python's eval; here only numbers, + - * / and parentheses are accepted, anything else is an error.
 */
const PREP_RE = /(?<=[a-z])(\d)/gi;
const FINI_RE = /(\d)\s+(\d)/g;
const sub = (alts: string) => new RegExp(`(?<=[\\d\\s])(${alts})\\b`, 'gi');
const PARTS: [RegExp, string][] = [
  [sub('days?|da|dd?'), `*${24 * 60 * 60}`],
  [sub('weeks?|wee?|ww?'), `*${7 * 24 * 60 * 60}`],
  [sub('months?|mon?'), `*${((365 * 3 + 366) * 24 * 60 * 60) / 4 / 12}`],
  [sub('years?|yea?|yy?'), `*${((365 * 3 + 366) * 24 * 60 * 60) / 4}`],
  [sub('seconds?|sec?|ss?'), '*1'],
  [sub('minutes?|min?|mm?'), '*60'],
  [sub('hours?|hou?|hh?'), `*${60 * 60}`],
];

export type TimeResult = { ok: true; seconds: number } | { ok: false; error: string };

export function str2seconds(input: string): TimeResult {
  let v = input.replace(PREP_RE, ' $1');
  for (const [re, rpl] of PARTS) v = v.replace(re, rpl);
  // Python's re.sub does not rescan overlapping matches ("1 2 3" -> "1+2 3"); neither does replace.
  v = v.replace(FINI_RE, '$1+$2');
  // Python's eval reads '#' as the start of a comment: "1h # one hour" is 3600 (verified with 1.0.2).
  const hash = v.indexOf('#');
  if (hash !== -1) v = v.slice(0, hash);
  const r = evalArithmetic(v);
  return r === null ? { ok: false, error: `${JSON.stringify(input)} is not a fail2ban time value` } : { ok: true, seconds: r };
}

/** A tiny recursive-descent evaluator for + - * / ( ) and decimal numbers. */
function evalArithmetic(src: string): number | null {
  const toks = src.match(/\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+|[-+*/()]|\S/gi) ?? [];
  let i = 0;
  const peek = () => toks[i];
  const expr = (): number | null => {
    let l = term();
    while (l !== null && (peek() === '+' || peek() === '-')) {
      const op = toks[i++];
      const r = term();
      if (r === null) return null;
      l = op === '+' ? l + r : l - r;
    }
    return l;
  };
  const term = (): number | null => {
    let l = unary();
    while (l !== null && (peek() === '*' || peek() === '/')) {
      const op = toks[i++];
      const r = unary();
      if (r === null || (op === '/' && r === 0)) return null;
      l = op === '*' ? l * r : l / r;
    }
    return l;
  };
  const unary = (): number | null => {
    if (peek() === '-' || peek() === '+') {
      const op = toks[i++];
      const r = unary();
      return r === null ? null : op === '-' ? -r : r;
    }
    if (peek() === '(') {
      i++;
      const r = expr();
      if (peek() !== ')') return null;
      i++;
      return r;
    }
    const t = toks[i++];
    if (t === undefined || !/^(?:\d|\.\d)/.test(t)) return null;
    return Number(t);
  };
  if (toks.length === 0) return null;
  const r = expr();
  return i === toks.length && r !== null && Number.isFinite(r) ? r : null;
}
