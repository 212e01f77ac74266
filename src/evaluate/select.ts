import type { Profile } from '../catalog/types.js';
import type { Check } from '../checks/define.js';

/**
 * A selector names an id (ssh.root-login-disabled), an area (ssh or ssh.*) or a guide section
 * (3.2; 3 takes 3.1, 3.2 and 3.3).
 */
export function matchesSelector(check: Pick<Check, 'id' | 'section'>, selector: string): boolean {
  const s = selector.trim();
  if (s === check.id) return true;
  const area = s.endsWith('.*') ? s.slice(0, -2) : s;
  if (!/^\d/.test(area) && check.id.startsWith(`${area}.`)) return true;
  if (/^\d+(\.\d+)*$/.test(s)) return check.section === s || check.section.startsWith(`${s}.`);
  return false;
}

export interface Selection {
  profile: Profile;
  only: string[];
  skip: string[];
}

export function selectChecks(checks: readonly Check[], sel: Selection): { ok: true; checks: Check[] } | { ok: false; message: string } {
  for (const s of [...sel.only, ...sel.skip]) {
    if (!checks.some((c) => matchesSelector(c, s)))
      return {
        ok: false,
        message: `--only/--skip: "${s}" names no requirement id, area or section of the catalog (see rampart requirements)`,
      };
  }
  const chosen = checks.filter(
    (c) =>
      (c.profile === 'guide' || sel.profile === 'strict') &&
      (sel.only.length === 0 || sel.only.some((s) => matchesSelector(c, s))) &&
      !sel.skip.some((s) => matchesSelector(c, s)),
  );
  return { ok: true, checks: chosen };
}
