/** match_pattern(3) of OpenSSH's match.c: `*` any run of characters, `?` one, everything else literal. */
export function matchWildcard(s: string, pattern: string, caseInsensitive = false): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\/]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, caseInsensitive ? 'is' : 's').test(s);
}
