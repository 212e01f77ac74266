import type { Source } from './evidence.js';

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
  /** The line's arguments as written, for an ignored keyword (Protocol 2,1); absent in older snapshots. */
  args?: string[];
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
