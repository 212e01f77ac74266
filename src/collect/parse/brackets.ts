const CLOSE: Record<string, string> = { '(': ')', '{': '}', '[': ']' };

/**
 * The index of the bracket that closes the one at `open` ("(", "{" or "["), counting nesting and
 * skipping quoted strings ('…' and "…", with backslash escapes); -1 when it is never closed.
 * rsyslog's RainerScript and syslog-ng's configuration share this shape.
 */
export function closingBracket(text: string, open: number): number {
  const o = text[open];
  const c = o === undefined ? undefined : CLOSE[o];
  if (!o || !c) return -1;
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === o) depth++;
    else if (ch === c && --depth === 0) return i;
  }
  return -1;
}
