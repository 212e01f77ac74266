/** True when a path component holds glob(3) wildcards. */
export function hasWildcard(component: string): boolean {
  return /[*?[]/.test(component);
}

/** One pattern element: a literal code unit, `?`, a bracket class, or `*`. */
type Token =
  { kind: 'char'; c: string } | { kind: 'any' } | { kind: 'star' } | { kind: 'class'; negate: boolean; ranges: Array<[number, number]> };

/**
 * Matches `name` against tokens in O(|name| × |tokens|) time: the classic two-pointer wildcard
 * match that only ever backtracks to the last `*` (a later star makes every earlier choice final).
 * Regular expressions built from globs backtrack exponentially on `*a*a*a…*b` against a long name
 * (issue 13: > 60 s where sshd takes 0.04 s); this never does.
 */
function matchTokens(tokens: readonly Token[], name: string, fold: boolean): boolean {
  const unit = (i: number): string => (fold ? name[i]!.toLowerCase() : name[i]!);
  let t = 0;
  let n = 0;
  let starT = -1;
  let starN = 0;
  while (n < name.length) {
    const tok = tokens[t];
    if (tok?.kind === 'star') {
      starT = t++;
      starN = n;
      continue;
    }
    if (tok !== undefined && matchOne(tok, unit(n))) {
      t++;
      n++;
      continue;
    }
    if (starT === -1) return false;
    t = starT + 1;
    n = ++starN;
  }
  while (tokens[t]?.kind === 'star') t++;
  return t === tokens.length;
}

function matchOne(tok: Exclude<Token, { kind: 'star' }>, c: string): boolean {
  switch (tok.kind) {
    case 'char':
      return tok.c === c;
    case 'any':
      return true;
    case 'class': {
      const code = c.charCodeAt(0);
      const hit = tok.ranges.some(([lo, hi]) => code >= lo && code <= hi);
      return hit !== tok.negate;
    }
  }
}

/** A bracket body (between `[` and `]`, negation removed) as code-unit ranges: `a-z`, a leading or trailing `-` literal. */
function classRanges(body: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < body.length; i++) {
    const lo = body.charCodeAt(i);
    if (body[i + 1] === '-' && i + 2 < body.length) {
      const hi = body.charCodeAt(i + 2);
      if (lo <= hi) ranges.push([lo, hi]);
      i += 2;
    } else ranges.push([lo, lo]);
  }
  return ranges;
}

/** How a dialect reads `[`: where its closing `]` may be searched from, which characters negate, and `\\`. */
interface ClassDialect {
  /** The index from which the class's closing `]` is searched (a `]` before it is a member). */
  closeFrom: (pattern: string, open: number) => number;
  negators: string;
  escapes: boolean;
}

/** The tokens of a pattern with `*`, `?` and `[…]` classes in the given dialect. */
function tokenize(pattern: string, d: ClassDialect): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'any' });
    else if (c === '[') {
      const close = pattern.indexOf(']', d.closeFrom(pattern, i));
      if (close === -1) {
        tokens.push({ kind: 'char', c });
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.length > 0 && d.negators.includes(body[0]!);
      if (negate) body = body.slice(1);
      tokens.push({ kind: 'class', negate, ranges: classRanges(body) });
      i = close;
    } else if (d.escapes && c === '\\' && i + 1 < pattern.length) tokens.push({ kind: 'char', c: pattern[++i]! });
    else tokens.push({ kind: 'char', c });
  }
  return tokens;
}

/** fnmatch(3) for one path component (no FNM_PERIOD: like glob(3), a leading dot must be matched explicitly). */
export function componentMatcher(pattern: string): (name: string) => boolean {
  const tokens = tokenize(pattern, { closeFrom: (_, open) => open + 2, negators: '!^', escapes: true });
  const explicitDot = pattern.startsWith('.');
  return (name) => (explicitDot || !name.startsWith('.')) && matchTokens(tokens, name, false);
}

/** match_pattern(3) of OpenSSH's match.c: `*` any run of characters, `?` one, everything else literal. */
export function wildcardMatcher(pattern: string, caseInsensitive = false): (s: string) => boolean {
  const tokens: Token[] = [];
  for (const c of pattern.split('')) {
    if (c === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'any' });
    else tokens.push({ kind: 'char', c: caseInsensitive ? c.toLowerCase() : c });
  }
  return (s) => matchTokens(tokens, s, caseInsensitive);
}

/**
 * Python's fnmatch.fnmatchcase (unattended-upgrades matches origins with it): `*` any run (`/` and a
 * leading dot included), `?` one character, `[…]` a class negated by `!` only (`^` is literal), a `]`
 * first in the class is literal, an unclosed `[` is literal; no backslash escapes. Linear, like the rest.
 */
export function fnmatchMatcher(pattern: string): (s: string) => boolean {
  const closeFrom = (p: string, open: number): number => {
    let j = open + 1;
    if (p[j] === '!') j++;
    if (p[j] === ']') j++;
    return j;
  };
  const tokens = tokenize(pattern, { closeFrom, negators: '!', escapes: false });
  return (s) => matchTokens(tokens, s, false);
}
