// Python's ast.literal_eval, as Ansible's INI inventory applies it to every value (ini.py _parse_value) and
// as fail2ban-client -d prints its stream (repr of lists):
// a value that is a Python literal becomes that value (1 → int, True → bool, '[1, 2]' → list, "'x'" → 'x'),
// anything else stays the raw string. Only the literal grammar is needed: numbers, strings (adjacent ones
// concatenate), True/False/None, unary +/-, lists, tuples, sets, dicts; comments end a line.

export type PyValue = null | boolean | number | string | PyValue[] | { [k: string]: PyValue };

class NotLiteral extends Error {}

/** The value literal_eval gives, or `undefined` when literal_eval raises (the caller keeps the string). */
export function literalEval(src: string): PyValue | undefined {
  try {
    const p = new Parser(src);
    const v = p.value();
    p.skip();
    if (p.i < src.length) return undefined;
    return v;
  } catch (e) {
    if (e instanceof NotLiteral) return undefined;
    throw e;
  }
}

class Parser {
  i = 0;
  constructor(private readonly s: string) {
    // A leading space is an IndentationError in Python.
    if (/^[ \t]/.test(s)) throw new NotLiteral();
  }

  skip(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\f') this.i++;
      else if (c === '#') {
        while (this.i < this.s.length && this.s[this.i] !== '\n') this.i++;
      } else if (c === '\\' && this.s[this.i + 1] === '\n') this.i += 2;
      else return;
    }
  }

  value(): PyValue {
    this.skip();
    const c = this.s[this.i];
    if (c === undefined) throw new NotLiteral();
    if (c === '[') return this.seq(']');
    if (c === '(') return this.seq(')');
    if (c === '{') return this.brace();
    if (c === '-' || c === '+') {
      this.i++;
      const v = this.value();
      if (typeof v !== 'number') throw new NotLiteral();
      return c === '-' ? -v : v;
    }
    if (/[0-9.]/.test(c)) return this.number();
    const m = /^([rRbBuUfF]{0,2})(['"])/.exec(this.s.slice(this.i));
    if (m) return this.strings();
    const w = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.s.slice(this.i));
    if (w) {
      this.i += w[0].length;
      if (w[0] === 'True') return true;
      if (w[0] === 'False') return false;
      if (w[0] === 'None') return null;
    }
    throw new NotLiteral();
  }

  private seq(close: string): PyValue[] {
    this.i++;
    const out: PyValue[] = [];
    for (;;) {
      this.skip();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
      out.push(this.value());
      this.skip();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) throw new NotLiteral();
    }
  }

  private brace(): PyValue {
    this.i++;
    this.skip();
    if (this.s[this.i] === '}') {
      this.i++;
      return {};
    }
    const first = this.value();
    this.skip();
    if (this.s[this.i] !== ':') {
      // A set literal: Ansible's JSON shows it as a list.
      const out = [first];
      for (;;) {
        this.skip();
        if (this.s[this.i] === '}') {
          this.i++;
          return out;
        }
        if (this.s[this.i] !== ',') throw new NotLiteral();
        this.i++;
        this.skip();
        if (this.s[this.i] === '}') continue;
        out.push(this.value());
      }
    }
    const out: { [k: string]: PyValue } = {};
    let key: PyValue = first;
    for (;;) {
      this.i++; // ':'
      if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean' && key !== null) throw new NotLiteral();
      out[keyText(key)] = this.value();
      this.skip();
      if (this.s[this.i] === ',') {
        this.i++;
        this.skip();
      }
      if (this.s[this.i] === '}') {
        this.i++;
        return out;
      }
      key = this.value();
      this.skip();
      if (this.s[this.i] !== ':') throw new NotLiteral();
    }
  }

  private number(): number {
    const rest = this.s.slice(this.i);
    const m =
      /^0[xX](?:_?[0-9a-fA-F])+|^0[oO](?:_?[0-7])+|^0[bB](?:_?[01])+|^(?:[0-9](?:_?[0-9])*)?\.?(?:[0-9](?:_?[0-9])*)?(?:[eE][+-]?[0-9](?:_?[0-9])*)?[jJ]?/.exec(
        rest,
      );
    const t = m?.[0] ?? '';
    if (t === '' || t === '.' || /[jJ]$/.test(t)) throw new NotLiteral();
    this.i += t.length;
    if (/^[A-Za-z0-9_]/.test(this.s.slice(this.i))) throw new NotLiteral();
    const clean = t.replace(/_/g, '');
    if (/^0[xob]/i.test(clean)) return Number(clean.toLowerCase());
    // Python 3 refuses a decimal integer with a leading zero (except 0, 00…).
    if (/^0+[0-9]+$/.test(clean) && !/^0+$/.test(clean)) throw new NotLiteral();
    return Number(clean);
  }

  private strings(): string {
    let out = '';
    let any = false;
    for (;;) {
      this.skip();
      const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(this.s.slice(this.i));
      if (!m) break;
      const prefix = (m[1] ?? '').toLowerCase();
      if (prefix.includes('f') || prefix.includes('b')) throw new NotLiteral();
      const raw = prefix.includes('r');
      const q = m[2] as string;
      this.i += m[0].length;
      for (;;) {
        if (this.i >= this.s.length) throw new NotLiteral();
        if (this.s.startsWith(q, this.i)) {
          this.i += q.length;
          break;
        }
        const c = this.s[this.i] as string;
        if (c === '\n' && q.length === 1) throw new NotLiteral();
        if (c === '\\') {
          const n = this.s[this.i + 1];
          if (n === undefined) throw new NotLiteral();
          if (raw) {
            out += c + n;
            this.i += 2;
            continue;
          }
          const esc: Record<string, string> = {
            n: '\n',
            t: '\t',
            r: '\r',
            '\\': '\\',
            "'": "'",
            '"': '"',
            a: '\x07',
            b: '\b',
            f: '\f',
            v: '\v',
            '\n': '',
          };
          if (n in esc) {
            out += esc[n];
            this.i += 2;
            continue;
          }
          const oct = /^[0-7]{1,3}/.exec(this.s.slice(this.i + 1));
          if (oct) {
            out += String.fromCodePoint(parseInt(oct[0], 8));
            this.i += 1 + oct[0].length;
            continue;
          }
          const hex = /^x([0-9a-fA-F]{2})|^u([0-9a-fA-F]{4})|^U([0-9a-fA-F]{8})/.exec(this.s.slice(this.i + 1));
          if (hex) {
            out += String.fromCodePoint(parseInt((hex[1] ?? hex[2] ?? hex[3]) as string, 16));
            this.i += 1 + hex[0].length;
            continue;
          }
          out += c;
          this.i++;
          continue;
        }
        out += c;
        this.i++;
      }
      any = true;
    }
    if (!any) throw new NotLiteral();
    return out;
  }
}

function keyText(k: string | number | boolean | null): string {
  // json.dumps turns non-string keys into these.
  if (k === null) return 'null';
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  return String(k);
}
