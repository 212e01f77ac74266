/** True when a path component holds glob(3) wildcards. */
export function hasWildcard(component: string): boolean {
  return /[*?[]/.test(component);
}

/** fnmatch(3) for one path component (no FNM_PERIOD: like glob(3), a leading dot must be matched explicitly). */
export function componentMatcher(pattern: string): (name: string) => boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else if (c === '\\' && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i]!);
    } else re += escapeRe(c);
  }
  const rx = new RegExp(`^${re}$`, 's');
  const explicitDot = pattern.startsWith('.');
  return (name) => (explicitDot || !name.startsWith('.')) && rx.test(name);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
