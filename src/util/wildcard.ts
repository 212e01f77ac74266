import { wildcardMatcher } from './glob.js';

/** match_pattern(3) of OpenSSH's match.c: `*` any run of characters, `?` one, everything else literal. */
export function matchWildcard(s: string, pattern: string, caseInsensitive = false): boolean {
  return wildcardMatcher(pattern, caseInsensitive)(s);
}
