/**
 * Merging and interpolation of fail2ban config files, as fail2ban/client/configparserinc.py does
 * it (SafeConfigParserWithIncludes.read and BasicInterpolationWithName):
 * - files are merged in read order; [DEFAULT] options and section options: the later file wins;
 * - when a later file overrides an option of a section, the previous raw value is kept in the
 *   section "KNOWN/<name>" and `%(known/opt)s` reads it (falling back to [DEFAULT]);
 * - `%(name)s` looks the name up (lower-cased) in the section, then [DEFAULT]; `%(__name__)s` is the
 *   section name; `%(default/opt)s` and `%(sec/opt)s` read the raw value of another section;
 *   nested values are interpolated in the context of the section being read; depth limit 10;
 * - conditional sections `[name?family=inet6]` merge into `name` with suffixed option names.
 */
import type { IniFile, IniOption } from './fail2ban-ini.js';

export interface MergedConfig {
  defaults: Record<string, IniOption>;
  sections: Record<string, Record<string, IniOption>>;
  /** Where each section was first defined. */
  sectionLines: Record<string, { path: string; line: number }>;
}

const CONDITIONAL_RE = /^(\w+)(\?.+)$/;
const MAX_INTERPOLATION_DEPTH = 10;

export function mergeIniFiles(files: readonly IniFile[], extraDefaults: Record<string, IniOption> = {}): MergedConfig {
  const merged: MergedConfig = { defaults: { ...extraDefaults }, sections: {}, sectionLines: {} };
  for (const f of files) {
    Object.assign(merged.defaults, f.defaults);
    for (const s of f.sections) {
      let name = s.name;
      let opts = s.options;
      const cond = CONDITIONAL_RE.exec(name);
      if (cond) {
        name = cond[1]!;
        opts = Object.fromEntries(Object.entries(opts).map(([k, v]) => [k + cond[2]!, v]));
      }
      const prev = merged.sections[name];
      if (prev) {
        const known = (merged.sections[`KNOWN/${name}`] ??= {});
        for (const k of Object.keys(opts)) if (prev[k]) known[k] = prev[k];
        Object.assign(prev, opts);
      } else {
        merged.sections[name] = { ...opts };
        merged.sectionLines[name] = { path: f.path, line: s.line };
      }
    }
  }
  return merged;
}

export interface Interpolated {
  value: string;
  /** The option that set the value (after inheritance from [DEFAULT]). */
  source: IniOption;
  /** Options the value was interpolated from, in order of use. */
  refs: IniOption[];
}

export type InterpolateResult = ({ ok: true } & Interpolated) | { ok: false; error: string; source: IniOption | null };

const SECTION_OPT_RE = /%\(([\w-]+\/([^)]+))\)s/g;
const KEY_RE = /^%\(([^)]+)\)s/;

type LookupMap = Map<string, IniOption>;

function mapSectionOptions(cfg: MergedConfig, section: string, rest: string, map: LookupMap): void {
  if (!rest.includes('/') || !rest.includes('%(')) return;
  for (const m of rest.matchAll(SECTION_OPT_RE)) {
    const sopt = m[1]!;
    const opt = m[2]!;
    if (map.has(sopt)) continue;
    const sec = sopt.slice(0, sopt.length - opt.length - 1);
    const secLower = sec.toLowerCase();
    let v: IniOption | undefined;
    let useDefault = false;
    if (secLower === 'default') useDefault = true;
    else if (secLower === 'known') {
      v = cfg.sections[`KNOWN/${section}`]?.[opt];
      if (!v) useDefault = true;
    } else {
      const s = cfg.sections[sec];
      if (!s) continue;
      v = s[opt];
      if (!v) useDefault = true;
    }
    if (useDefault) v = cfg.defaults[opt];
    if (v) map.set(sopt, v);
  }
}

class InterpolationError extends Error {}

function interpolateSome(
  cfg: MergedConfig,
  section: string,
  optName: string,
  rest: string,
  base: LookupMap,
  depth: number,
  accum: string[],
  refs: IniOption[],
): void {
  if (depth > MAX_INTERPOLATION_DEPTH)
    throw new InterpolationError(
      `interpolation of ${optName} in [${section}] is nested more than ${MAX_INTERPOLATION_DEPTH} deep (a reference loop?)`,
    );
  const map: LookupMap = new Map(base);
  map.set('__name__', { value: section, path: '(section name)', line: 0 });
  mapSectionOptions(cfg, section, rest, map);
  while (rest) {
    const p = rest.indexOf('%');
    if (p < 0) {
      accum.push(rest);
      return;
    }
    if (p > 0) {
      accum.push(rest.slice(0, p));
      rest = rest.slice(p);
    }
    const c = rest.slice(1, 2);
    if (c === '%') {
      accum.push('%');
      rest = rest.slice(2);
    } else if (c === '(') {
      const m = KEY_RE.exec(rest);
      if (!m)
        throw new InterpolationError(
          `bad interpolation variable reference ${JSON.stringify(rest.slice(0, 40))} in ${optName} of [${section}]`,
        );
      const varName = m[1]!.toLowerCase();
      rest = rest.slice(m[0].length);
      const v = map.get(varName);
      if (!v) throw new InterpolationError(`${optName} of [${section}] refers to %(${varName})s, which is not defined`);
      if (v.line > 0) refs.push(v);
      if (v.value.includes('%')) interpolateSome(cfg, section, optName, v.value, map, depth + 1, accum, refs);
      else accum.push(v.value);
    } else {
      throw new InterpolationError(
        `'%' must be followed by '%' or '(' in ${optName} of [${section}]: ${JSON.stringify(rest.slice(0, 40))}`,
      );
    }
  }
}

/** The raw option as ConfigParser.get(section, option, raw=True) sees it: the section, then [DEFAULT]. */
export function rawOption(cfg: MergedConfig, section: string, option: string): IniOption | null {
  const name = option.toLowerCase();
  return cfg.sections[section]?.[name] ?? cfg.defaults[name] ?? null;
}

/** ConfigParser.get(section, option) with fail2ban's interpolation. */
export function getOption(cfg: MergedConfig, section: string, option: string): InterpolateResult | null {
  const sec = cfg.sections[section];
  if (!sec) return null;
  const src = rawOption(cfg, section, option);
  if (!src) return null;
  const map: LookupMap = new Map([...Object.entries(cfg.defaults), ...Object.entries(sec)]);
  const accum: string[] = [];
  const refs: IniOption[] = [];
  try {
    interpolateSome(cfg, section, option.toLowerCase(), src.value, map, 1, accum, refs);
  } catch (e) {
    if (e instanceof InterpolationError) return { ok: false, error: e.message, source: src };
    throw e;
  }
  return { ok: true, value: accum.join(''), source: src, refs };
}
