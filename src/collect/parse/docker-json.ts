// A strict JSON reader (RFC 8259) that keeps the line of every object key and names the line and
// column of the first error: dockerd refuses a daemon.json that JSON.parse would refuse, and the
// finding must say where.

export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export type JsonResult =
  { ok: true; value: JsonValue; keyLines: Map<string, number> } | { ok: false; message: string; line: number; column: number };

class JsonErr extends Error {}

/** Parses JSON; keyLines maps dotted key paths ("log-opts.max-size") to their 1-based line. */
export function parseJsonWithLines(text: string): JsonResult {
  let i = 0;
  const keyLines = new Map<string, number>();
  const lineAt = (pos: number): [number, number] => {
    let line = 1;
    let col = 1;
    for (let j = 0; j < pos && j < text.length; j++) {
      if (text[j] === '\n') {
        line++;
        col = 1;
      } else col++;
    }
    return [line, col];
  };
  const fail = (msg: string): never => {
    throw new JsonErr(msg);
  };
  const ws = () => {
    while (i < text.length && /[ \t\r\n]/.test(text[i] ?? '')) i++;
  };
  const str = (): string => {
    // eslint-disable-next-line no-control-regex -- RFC 8259: control characters must be escaped in strings
    const m = /^"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/.exec(text.slice(i));
    if (!m) fail('invalid string');
    const s = (m as RegExpExecArray)[0];
    i += s.length;
    return JSON.parse(s) as string;
  };
  const value = (path: string, depth: number): JsonValue => {
    if (depth > 100) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: JsonObject = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a "key"${text[i] === '}' ? ' (trailing comma?)' : ''}`);
        const at = lineAt(i)[0];
        const k = str();
        const p = path ? `${path}.${k}` : k;
        keyLines.set(p, at);
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        obj[k] = value(p, depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const arr: JsonValue[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(`${path}[]`, depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return str();
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!m) fail(i >= text.length ? 'unexpected end of input' : `unexpected character ${JSON.stringify(c)}`);
    const tok = (m as RegExpExecArray)[0];
    i += tok.length;
    return JSON.parse(tok) as JsonValue;
  };
  try {
    const v = value('', 0);
    ws();
    if (i < text.length) fail('unexpected data after the JSON value');
    return { ok: true, value: v, keyLines };
  } catch (e) {
    if (!(e instanceof JsonErr)) throw e;
    const [line, column] = lineAt(i);
    return { ok: false, message: e.message, line, column };
  }
}
