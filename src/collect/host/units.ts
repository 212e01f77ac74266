import { posix } from 'node:path';
import type { Source } from '../../facts/evidence.js';
import type { FileType, Target } from '../../target/types.js';
import { componentMatcher } from '../../util/glob.js';
import { PermissionDenied } from '../paths.js';

/** Where systemd looks for unit files, highest precedence first (systemd.unit(5) "Unit File Load Path"). */
export const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'] as const;

/** Where a mask (`systemctl mask`, or a runtime mask) lives: these shadow every unit directory below. */
const MASK_DIRS = ['/etc/systemd/system', '/run/systemd/system'] as const;

/**
 * Targets every boot reaches whatever default.target is (bootup(7): sysinit.target, basic.target
 * and what they pull in). default.target adds itself and its chain (graphical → multi-user).
 */
const BASE_BOOT_TARGETS = [
  'default.target',
  'sysinit.target',
  'basic.target',
  'sockets.target',
  'timers.target',
  'paths.target',
  'local-fs.target',
  'local-fs-pre.target',
  'remote-fs.target',
  'swap.target',
  'cryptsetup.target',
  'network.target',
  'network-pre.target',
  'network-online.target',
  'nss-lookup.target',
  'time-sync.target',
  'getty.target',
];
/** systemd's built-in default when no default.target link exists (systemd.special(7)). */
const DEFAULT_TARGET = 'graphical.target';
/** How deep a custom target wanted by a boot target is followed (app.target → multi-user.target). */
const MAX_TARGET_DEPTH = 3;

export interface WantsLink {
  /** <dir>/<target>.wants/<unit> */
  path: string;
  /** What the link leads to (stat, followed); null when it is dangling (or, inside an offline root, leads to /dev/null). */
  type: FileType | null;
}

export interface UnitLink extends WantsLink {
  /** The unit directory it is in (one of UNIT_DIRS). */
  dir: string;
  /** The target whose .wants/ (or .requires/) directory holds it: multi-user.target. */
  target: string;
  /** The unit it names. */
  unit: string;
  /** Whether the target is reached at boot (default.target's chain, or a target itself wanted at boot). */
  atBoot: boolean;
}

/** The answer to "does systemd start this unit at boot?", read from the files (PID 1 may not be systemd, or the root is offline). */
export interface BootState {
  unit: string;
  /** The unit file systemd would load: the first of UNIT_DIRS that holds it (/etc over /run over /lib). */
  unitFile: string | null;
  /** The unit the name is an alias of (a symlink to another unit name), else null. */
  aliasOf: string | null;
  /** A mask in /etc or /run: systemd never starts the unit, whatever its links say. */
  mask: { path: string; note: string } | null;
  /** Every <dir>/<target>.wants|requires/<unit> link of the unit (and of what it is an alias of), UNIT_DIRS order, then lexical. */
  links: UnitLink[];
  /** A SysV start link (/etc/rc[2345].d/S??name) with its /etc/init.d script; only looked for without a unit file (systemd-sysv-generator(8)). */
  sysvLink: string | null;
  /** Not masked, and a link in a target reached at boot that leads to a file, or (no unit file) a SysV start link. */
  enabled: boolean;
  /** What decided: the mask, the links (each with a note), the SysV link; nothing when no unit and no link exist. */
  evidence: Source[];
}

export interface BootOptions {
  /** SysV init script names to look for when no unit file exists. */
  sysv?: readonly string[];
  /** SysV start link pattern: `S*` (any) or `S[0-9][0-9]` (Debian's insserv numbering). */
  sysvPrefix?: 'S*' | 'S[0-9][0-9]';
}

/**
 * Units, masks and *.wants links of one target, read once per collection run: every unit directory's
 * links are listed with one glob each and stat'ed once; every collector asks the same store.
 */
export class UnitStore {
  private linksP: Promise<UnitLink[]> | null = null;
  private defaultP: Promise<string> | null = null;
  private readonly boot = new Map<string, Promise<BootState>>();

  constructor(private readonly t: Target) {}

  /** Every link under <dir>/*.wants/ and <dir>/*.requires/ of every unit directory, with what it leads to. */
  allLinks(): Promise<UnitLink[]> {
    this.linksP ??= this.readLinks();
    return this.linksP;
  }

  private async readLinks(): Promise<UnitLink[]> {
    const out: UnitLink[] = [];
    // Every directory's globs at once: one round trip on a batching target, not eight.
    const globbed = await Promise.all(
      UNIT_DIRS.map(async (dir) => {
        const [w, r] = await Promise.all([this.t.glob(`${dir}/*.wants/*`), this.t.glob(`${dir}/*.requires/*`)]);
        const paths = [...w, ...r].sort();
        return { dir, paths, stats: await Promise.all(paths.map((p) => this.t.stat(p))) };
      }),
    );
    for (const { dir, paths, stats } of globbed) {
      paths.forEach((path, i) => {
        const s = stats[i]!;
        const parts = path.split('/');
        const unit = parts.at(-1)!;
        const target = parts.at(-2)!.replace(/\.(wants|requires)$/, '');
        out.push({ path, dir, target, unit, type: s.ok ? s.type : null, atBoot: false });
      });
    }
    return out;
  }

  /**
   * The links of `unit` (glob wildcards allowed: redis-server@*.service). With `targets`, only those
   * <target>.wants directories, in that order; without, every *.wants directory (lexical order). `dirs`
   * defaults to /etc/systemd/system (where `systemctl enable` writes). A link is listed whether or not
   * it resolves; `type` says what it leads to.
   */
  async wantsLinks(unit: string, opts: { dirs?: readonly string[]; targets?: readonly string[] } = {}): Promise<WantsLink[]> {
    const match = componentMatcher(unit);
    const all = (await this.allLinks()).filter((l) => l.path.endsWith(`.wants/${l.unit}`) && match(l.unit));
    const out: WantsLink[] = [];
    for (const dir of opts.dirs ?? ['/etc/systemd/system']) {
      const inDir = all.filter((l) => l.dir === dir);
      const picked = opts.targets ? opts.targets.flatMap((w) => inDir.filter((l) => l.target === w)) : inDir;
      for (const l of picked) out.push({ path: l.path, type: l.type });
    }
    return out;
  }

  /**
   * Whether `unit` is masked: a symlink to /dev/null (a char device live; inside an offline root it
   * leads nowhere, as the root has no /dev/null), a dangling symlink or an empty file in /etc or /run
   * shadows the unit, and systemd will not start it at boot whatever its *.wants/ links say.
   */
  async mask(unit: string): Promise<{ path: string; note: string } | null> {
    // Every directory at once (one round trip on a batching target); the first one that has it decides.
    const probes = await Promise.all(
      MASK_DIRS.map(async (dir) => {
        const path = `${dir}/${unit}`;
        const [l, s] = await Promise.all([this.t.lstat(path), this.t.stat(path)]);
        return { path, l, s };
      }),
    );
    for (const { path, l, s } of probes) {
      if (!l.ok) continue;
      if (s.ok && s.type === 'char') return { path, note: `${unit} is masked (symlink to /dev/null)` };
      if (l.type === 'symlink' && !s.ok)
        return { path, note: `${unit} is masked: a symlink that leads nowhere inside the target (/dev/null, or dangling)` };
      if (s.ok && s.type === 'file' && s.size === 0) return { path, note: `${unit} is masked (an empty unit file)` };
      return null;
    }
    return null;
  }

  /** The unit file systemd loads for `unit`; PermissionDenied when a directory before the answer cannot be searched. */
  async unitFile(unit: string): Promise<string | null> {
    const stats = await Promise.all(UNIT_DIRS.map((d) => this.t.stat(`${d}/${unit}`)));
    for (const [i, d] of UNIT_DIRS.entries()) {
      const p = `${d}/${unit}`;
      const s = stats[i]!;
      if (s.ok) return p;
      if (s.error === 'denied') throw new PermissionDenied(p);
    }
    return null;
  }

  /** The first SysV start link (/etc/rc[2345].d/<prefix><name>) whose /etc/init.d/<name> script exists. */
  async sysvStart(names: readonly string[], prefix: BootOptions['sysvPrefix'] = 'S*'): Promise<string | null> {
    for (const name of names) {
      const found = await this.t.glob(`/etc/rc[2345].d/${prefix}${name}`);
      if (!found[0]) continue;
      const init = await this.t.stat(`/etc/init.d/${name}`);
      if (!init.ok && init.error === 'denied') throw new PermissionDenied(`/etc/init.d/${name}`);
      if (init.ok) return found[0];
    }
    return null;
  }

  /** default.target's name: the link in /etc, /run or /lib, else systemd's built-in graphical.target. */
  defaultTarget(): Promise<string> {
    this.defaultP ??= (async () => {
      const lstats = await Promise.all(UNIT_DIRS.map((d) => this.t.lstat(`${d}/default.target`)));
      for (const [i, d] of UNIT_DIRS.entries()) {
        const p = `${d}/default.target`;
        if (!lstats[i]!.ok) continue;
        const r = await this.t.realPath(p);
        if (r.ok && r.path.endsWith('.target')) return posix.basename(r.path);
      }
      return DEFAULT_TARGET;
    })();
    return this.defaultP;
  }

  /** Whether a target is reached at boot: default.target's chain and the base targets, or a target wanted by one of them. */
  async targetAtBoot(target: string, depth = 0): Promise<boolean> {
    const dflt = await this.defaultTarget();
    const chain = dflt === 'graphical.target' ? ['graphical.target', 'multi-user.target'] : [dflt];
    if (BASE_BOOT_TARGETS.includes(target) || chain.includes(target)) return true;
    if (depth >= MAX_TARGET_DEPTH) return false;
    if (await this.mask(target)) return false;
    for (const l of await this.allLinks())
      if (l.unit === target && l.type === 'file' && (await this.targetAtBoot(l.target, depth + 1))) return true;
    return false;
  }

  /** One answer to "is `unit` enabled at boot?" with the evidence that decided it (memoised per unit and options). */
  bootState(unit: string, opts: BootOptions = {}): Promise<BootState> {
    const key = JSON.stringify([unit, opts.sysv ?? [], opts.sysvPrefix ?? 'S*']);
    let p = this.boot.get(key);
    if (!p) this.boot.set(key, (p = this.computeBoot(unit, opts)));
    return p;
  }

  private async computeBoot(unit: string, opts: BootOptions): Promise<BootState> {
    const unitFile = await this.unitFile(unit);
    const mask = await this.mask(unit);
    // An alias (`Alias=` in [Install]: sshd.service → ssh.service) is a symlink to the real unit, whose links count.
    let aliasOf: string | null = null;
    if (unitFile && !mask) {
      const l = await this.t.lstat(unitFile);
      const r = l.ok && l.type === 'symlink' ? await this.t.realPath(unitFile) : null;
      const real = r?.ok ? posix.basename(r.path) : null;
      if (real && real !== unit && posix.extname(real) === posix.extname(unit)) aliasOf = real;
    }
    const names = aliasOf ? [unit, aliasOf] : [unit];
    const links: UnitLink[] = [];
    for (const l of await this.allLinks()) if (names.includes(l.unit)) links.push({ ...l, atBoot: await this.targetAtBoot(l.target) });
    const evidence: Source[] = [];
    if (mask) evidence.push(mask);
    let enabled = false;
    for (const l of links) {
      if (l.type !== 'file') evidence.push({ path: l.path, note: 'dangling enablement symlink' });
      else if (!l.atBoot) evidence.push({ path: l.path, note: `enablement symlink in ${l.target}, which is not reached at boot` });
      else {
        enabled = true;
        evidence.push({ path: l.path, note: 'enablement symlink' });
      }
    }
    const sysvLink = unitFile ? null : await this.sysvStart(opts.sysv ?? [], opts.sysvPrefix);
    if (sysvLink) {
      enabled = true;
      evidence.push({ path: sysvLink, note: 'SysV start link (no systemd unit file)' });
    }
    return { unit, unitFile, aliasOf, mask, links, sysvLink, enabled: enabled && !mask, evidence };
  }
}

/**
 * Several units answered as one service (wazuh-agent.service or ossec.service): enabled when one is,
 * masked when one is; SysV start links are looked for only when none of the units has a unit file.
 */
export async function bootStateOfAny(
  store: UnitStore,
  units: readonly string[],
  opts: BootOptions = {},
): Promise<{ states: BootState[]; unitFile: string | null; sysvLink: string | null; enabled: boolean; masked: boolean }> {
  const states = await Promise.all(units.map((u) => store.bootState(u)));
  const unitFile = states.find((s) => s.unitFile !== null)?.unitFile ?? null;
  const sysvLink = unitFile ? null : await store.sysvStart(opts.sysv ?? [], opts.sysvPrefix);
  const masked = states.some((s) => s.mask !== null);
  return { states, unitFile, sysvLink, enabled: !masked && (states.some((s) => s.enabled) || sysvLink !== null), masked };
}

/** Links of a boot state that enable it: they lead to a file and sit in a target reached at boot. */
export function enablingLinks(s: BootState): UnitLink[] {
  return s.links.filter((l) => l.type === 'file' && l.atBoot);
}
