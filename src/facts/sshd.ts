import { describeSource, type Source } from './evidence.js';

/** One effective setting: the value as `sshd -T` prints it (multi-valued keywords joined by spaces). */
export interface SshdSetting {
  value: string;
  source: Source;
  /** The Match block that set it (its line as written and where), when a block did. */
  block?: { text: string; path: string; line: number };
}

/** A connection sshd's Match blocks were judged for (`sshd -T -C user=…,host=…,addr=…`). */
export interface SshdContext {
  /** e.g. "user=alice addr=198.51.100.1". */
  label: string;
  user: string;
  addr: string;
  /** admin/root/account (a login shell)/other (in no list); match: built to satisfy a Match block. */
  role: 'admin' | 'root' | 'account' | 'other' | 'match';
  /** Whether addr lies in config.ssh_admin_sources. */
  adminSource: boolean;
  /** Why no real connection can be this one today (e.g. "no account ci exists"): its weaker values warn, not fail. */
  dormant?: string | null;
  /** Settings whose value in this context differs from the global one, with the Match block line that sets them. */
  overrides: Record<string, SshdSetting>;
}

export interface SshdProblem {
  path: string;
  /** null: the whole file (could not be read, binary, too large). */
  line: number | null;
  severity: 'error' | 'warning';
  /** 'hostkey': no host key sshd could load (keyword 'hostkey'; a key that could not be read is 'unreadable'). */
  kind: 'unreadable' | 'syntax' | 'keyword' | 'include' | 'obsolete' | 'hostkey';
  /** The keyword concerned (lower case), if any. */
  keyword: string | null;
  message: string;
}

export interface SshdHostKey {
  path: string;
  /** ssh-rsa, ssh-dss, ssh-ed25519, ecdsa-sha2-nistp256, … or null when the public key could not be read. */
  type: string | null;
  bits: number | null;
  error: string | null;
}

/**
 * Shared contract (fail2ban and firewall checks read `ports`). The sshd collector owns the rest.
 */
export interface SshdFacts {
  installed: boolean;
  /** The TCP ports sshd listens on (effective Port/ListenAddress), e.g. [22]. */
  ports: number[];
  /** OpenSSH version, e.g. "9.2p1", with where it was read. */
  version: string | null;
  versionSource: Source;
  /** 'sshd -T': values from the running binary; 'files': this tool's model of the files (offline, or fallback). */
  method: 'sshd -T' | 'files';
  /** Why the files were used (offline root; sshd -T failed: …); null with sshd -T. */
  methodReason: string | null;
  /** Whether built-in defaults are tabulated for this exact version (else the nearest known are assumed). */
  defaultsExact: boolean;
  /** The global effective configuration, keyword (lower case) → setting. */
  effective: Record<string, SshdSetting>;
  contexts: SshdContext[];
  /** Every configuration file read, in order. */
  files: string[];
  /** Files that could not be read, parse errors, unknown or misplaced keywords. */
  problems: SshdProblem[];
  /** `sshd -t` live; the file model offline. */
  validation: { method: 'sshd -t' | 'files'; ok: boolean; output: string | null; command: string | null };
  hostKeys: SshdHostKey[];
  /** Set when not every Match block could be judged connection by connection (too many blocks): why. */
  unjudged?: string | null;
}

/** The global value and each context whose value differs, for one keyword. */
export function sshdValues(f: SshdFacts, keyword: string): { context: string | null; setting: SshdSetting; dormant: string | null }[] {
  const g = f.effective[keyword];
  const out: { context: string | null; setting: SshdSetting; dormant: string | null }[] = g
    ? [{ context: null, setting: g, dormant: null }]
    : [];
  for (const c of f.contexts) {
    const o = c.overrides[keyword];
    if (o) out.push({ context: c.label, setting: o, dormant: c.dormant ?? null });
  }
  return out;
}

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
export function sshdRefusedOutcome(
  f: SshdFacts,
  seen: SshdEvidence[] = [],
): { status: 'unknown'; summary: string; evidence: SshdEvidence[] } | null {
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

export type SshdEvidence = Source & { message: string };

/**
 * The outcome of one or more judgements: fail if any value is bad; warn if only connections nobody
 * can make today get a bad value; unknown if all are good but a configuration file could not be
 * read (file model only); else pass. The summary quotes the values.
 */
export function sshdOutcome(
  f: SshdFacts,
  judgements: SshdJudgement[],
  passNote = '',
): { status: 'pass' | 'fail' | 'warn' | 'unknown'; summary: string; evidence: SshdEvidence[] } {
  const bad = judgements.flatMap((j) => j.bad);
  const good = judgements.flatMap((j) => j.good);
  const dormant = judgements.flatMap((j) => j.dormant ?? []);
  const note = sshdMethodNote(f);
  const refused = sshdRefusedOutcome(f, [...bad, ...good]);
  if (refused) return refused;
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
  const unreadable = sshdUnreadable(f);
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
