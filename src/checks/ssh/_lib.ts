import { describeSource, type Source } from '../../facts/evidence.js';
import { sshdValues, type SshdFacts, type SshdProblem, type SshdSetting } from '../../facts/sshd.js';
import { fail, pass, unknown, warn, type Verdict } from '../verdict.js';

/**
 * Shared judgement of the ssh.* checks: a keyword is judged in the global configuration and in every
 * Match context (judgeSshd), then one outcome over the judgements (sshdOutcome, sshdVerdict).
 */

export type SshdEvidence = Source & { message: string };

/** A verdict still open to a check's own last word (strong-crypto adds its host keys to a pass). */
export interface SshdOutcome {
  status: 'pass' | 'fail' | 'warn' | 'unknown';
  summary: string;
  evidence: SshdEvidence[];
}

const VERDICT = { pass, fail, warn, unknown } as const;

export const outcomeVerdict = (o: SshdOutcome): Verdict => VERDICT[o.status](o.summary, o.evidence);

/** sshdOutcome as the check's verdict. */
export const sshdVerdict = (f: SshdFacts, judgements: SshdJudgement[], passNote = ''): Verdict =>
  outcomeVerdict(sshdOutcome(f, judgements, passNote));

/** Files that could not be read: the effective configuration may differ from what was seen. */
export function sshdUnreadable(f: SshdFacts): SshdProblem[] {
  return f.problems.filter((p) => p.severity === 'error' && p.line === null && f.method === 'files' && p.keyword !== 'hostkey');
}

/**
 * Why sshd refuses the configuration files (`sshd -t`, else the file model's errors): sshd would not
 * start or reload with them, so no value read from them is what runs. Host keys are machine state, not
 * the files' text: ssh.config-valid judges them.
 */
export function sshdRefusal(f: SshdFacts): SshdEvidence[] {
  if (f.validation.method === 'sshd -t') {
    if (f.validation.ok) return [];
    const out = f.validation.output?.split('\n')[0] ?? 'sshd -t failed';
    return [{ command: f.validation.command ?? 'sshd -t', message: out, ...(f.validation.output ? { excerpt: f.validation.output } : {}) }];
  }
  return f.problems
    .filter((p) => p.severity === 'error' && p.kind !== 'unreadable' && p.kind !== 'hostkey')
    .map((p) => ({
      path: p.path,
      ...(p.line !== null ? { line: p.line } : {}),
      message: `${p.path}${p.line !== null ? `:${p.line}` : ''}: ${p.message}`,
    }));
}

/** The unknown a check answers when sshd refuses the files; null when it does not. */
export function sshdRefusedOutcome(f: SshdFacts, seen: SshdEvidence[] = []): (SshdOutcome & { status: 'unknown' }) | null {
  const refused = sshdRefusal(f);
  if (refused.length === 0) return null;
  const more = refused.length > 1 ? ` (+${refused.length - 1} more)` : '';
  const files = seen.length ? `; the files give ${seen[0]!.message}${seen.length > 1 ? ` (+${seen.length - 1} more)` : ''}` : '';
  return {
    status: 'unknown',
    summary: `sshd refuses this configuration (${refused[0]!.message}${more}): it would not start or reload with it, so the values are not judged${files}${sshdMethodNote(f)}`,
    evidence: [...refused, ...seen],
  };
}

/** A short suffix naming how the values were obtained when it was not `sshd -T`. */
export function sshdMethodNote(f: SshdFacts): string {
  return f.method === 'sshd -T' ? '' : ` [from the configuration files: ${f.methodReason ?? 'sshd -T not used'}]`;
}

export interface SshdJudgement {
  bad: (Source & { message: string })[];
  good: (Source & { message: string })[];
  /** Weaker values only a connection nobody can make today gets (a Match block for an account that does not exist). */
  dormant?: (Source & { message: string })[];
  /** The good values of the global configuration (a pass summary quotes these, not every connection). */
  global?: (Source & { message: string })[];
}

/** How a value reads in a finding: `is "yes"`, or what `describe` says of a bad one ("offers aes128-cbc"). */
type Phrase = (value: string) => string;
const IS: Phrase = (v) => `is "${v}"`;

/** "Match User ci (/etc/ssh/sshd_config:141) sets PasswordAuthentication yes for user=ci addr=… (line 142)". */
function contextMessage(display: string, setting: SshdSetting, contexts: string[], phrase: Phrase | null): string {
  const who = `${contexts[0]!}${contexts.length > 1 ? ` (+${contexts.length - 1} more connection${contexts.length > 2 ? 's' : ''})` : ''}`;
  const b = setting.block;
  if (!b) return `${display} ${(phrase ?? IS)(setting.value)} for ${who} (${describeSource(setting.source)})`;
  const at =
    setting.source.path && setting.source.line
      ? setting.source.path === b.path
        ? `line ${setting.source.line}`
        : `${setting.source.path}:${setting.source.line}`
      : describeSource(setting.source);
  const what = phrase ? `: ${display} ${phrase(setting.value)}` : ` sets ${display} ${setting.value}`;
  return `${b.text} (${b.path}:${b.line})${what} for ${who} (${at})`;
}

/**
 * Judges one keyword in the global configuration and in every Match context: every connection sshd
 * would accept must get a good value. Each finding names the value, the Match block and line that
 * set it, and the connections it applies to (one finding per block and value). `describeBad` words
 * a bad value (default: quote it).
 */
export function judgeSshd(
  f: SshdFacts,
  keyword: string,
  display: string,
  ok: (value: string) => boolean,
  describeBad?: Phrase,
): SshdJudgement {
  const res: Required<SshdJudgement> = { bad: [], good: [], dormant: [], global: [] };
  const groups = new Map<string, { setting: SshdSetting; contexts: string[]; dormant: string[] }>();
  for (const { context, setting, dormant } of sshdValues(f, keyword)) {
    if (context === null) {
      const good = ok(setting.value);
      const e = {
        ...setting.source,
        message: `${display} ${(good ? IS : (describeBad ?? IS))(setting.value)} (${describeSource(setting.source)})`,
      };
      (good ? res.good : res.bad).push(e);
      if (good) res.global.push(e);
      continue;
    }
    const key = JSON.stringify([setting.value, describeSource(setting.source), dormant === null]);
    const g = groups.get(key) ?? { setting, contexts: [], dormant: [] };
    g.contexts.push(context);
    if (dormant !== null) g.dormant.push(dormant);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    if (ok(g.setting.value)) {
      res.good.push({ ...g.setting.source, message: contextMessage(display, g.setting, g.contexts, null) });
      continue;
    }
    const message = contextMessage(display, g.setting, g.contexts, describeBad ?? null);
    if (g.dormant.length)
      res.dormant.push({
        ...g.setting.source,
        message: `${message}, but ${[...new Set(g.dormant)].join('; ')}: no connection matches it today`,
      });
    else res.bad.push({ ...g.setting.source, message });
  }
  if (res.bad.length === 0 && res.good.length === 0 && res.dormant.length === 0)
    res.bad.push({ note: `${display} has no effective value`, message: `${display} has no effective value` });
  return res;
}

/**
 * The outcome of one or more judgements: fail if any value is bad; warn if only connections nobody
 * can make today get a bad value; unknown if all are good but a configuration file could not be
 * read (file model only); else pass. The summary quotes the values.
 */
export function sshdOutcome(f: SshdFacts, judgements: SshdJudgement[], passNote = ''): SshdOutcome {
  const bad = judgements.flatMap((j) => j.bad);
  const good = judgements.flatMap((j) => j.good);
  const dormant = judgements.flatMap((j) => j.dormant ?? []);
  const note = sshdMethodNote(f);
  const refused = sshdRefusedOutcome(f, [...bad, ...good]);
  if (refused) return refused;
  // A weak built-in default is no finding while a file could not be read (too large, denied): that
  // file may set the value. A bad value a readable file sets stays a fail.
  const unreadable = sshdUnreadable(f);
  if (bad.length > 0 && unreadable.length > 0 && bad.every((b) => b.path === undefined)) {
    return {
      status: 'unknown',
      summary: `${bad[0]!.message}, but ${unreadable.map((p) => p.message).join('; ')}: that file may set it${note}`,
      evidence: [...bad, ...unreadable.map((p) => ({ path: p.path, message: p.message }))],
    };
  }
  if (bad.length > 0) {
    const more = bad.length > 1 ? ` (+${bad.length - 1} more)` : '';
    return { status: 'fail', summary: `${bad[0]!.message}${more}${note}`, evidence: [...bad, ...dormant] };
  }
  if (f.unjudged) {
    return {
      status: 'unknown',
      summary: `${f.unjudged}; what was judged: ${[...dormant, ...good]
        .slice(0, 3)
        .map((g) => g.message)
        .join('; ')}${note}`,
      evidence: [...dormant, ...good],
    };
  }
  // A file that could not be read may hold a weaker value than anything judged: unknown before warn.
  if (unreadable.length > 0) {
    return {
      status: 'unknown',
      summary: `${[...dormant, ...good].map((g) => g.message).join('; ')}, but ${unreadable.map((p) => p.message).join('; ')}: the effective value may differ${note}`,
      evidence: [...dormant, ...good, ...unreadable.map((p) => ({ path: p.path, message: p.message }))],
    };
  }
  if (dormant.length > 0) {
    const more = dormant.length > 1 ? ` (+${dormant.length - 1} more)` : '';
    return { status: 'warn', summary: `${dormant[0]!.message}${more}${note}`, evidence: [...dormant, ...good] };
  }
  // Quote the global values; a judgement without them (host keys) is quoted whole.
  const globals = judgements.flatMap((j) => j.global ?? j.good);
  return {
    status: 'pass',
    summary: `${(globals.length ? globals : good).map((g) => g.message).join('; ')}${passNote}${note}`,
    evidence: good,
  };
}
