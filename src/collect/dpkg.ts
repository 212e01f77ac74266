import type { FsErrorKind, Target } from '../target/types.js';
import { parseDpkgStatus, type DpkgPackage, type DpkgStatusParse } from './parse/dpkg-status.js';

export const DPKG_STATUS = '/var/lib/dpkg/status';
const MAX_STATUS = 256 * 1024 * 1024;

export type DpkgStatusRead = { ok: true; parsed: DpkgStatusParse } | { ok: false; error: FsErrorKind; message: string };

const statusCache = new WeakMap<Target, Promise<DpkgStatusRead>>();
const installedCache = new WeakMap<Target, Promise<Map<string, DpkgPackage> | null>>();

/** The target's dpkg status, read and parsed once per target; the read error when it cannot be read. */
export function dpkgStatus(target: Target): Promise<DpkgStatusRead> {
  let p = statusCache.get(target);
  if (!p) {
    p = target
      .readText(DPKG_STATUS, { maxBytes: MAX_STATUS })
      .then((r) => (r.ok ? { ok: true, parsed: parseDpkgStatus(r.text) } : { ok: false, error: r.error, message: r.message }));
    statusCache.set(target, p);
  }
  return p;
}

/** The installed packages of the target's dpkg status (read once per target); null when there is none. */
export function dpkgInstalled(target: Target): Promise<Map<string, DpkgPackage> | null> {
  let p = installedCache.get(target);
  if (!p) {
    p = dpkgStatus(target).then((r) => (r.ok ? new Map(r.parsed.installed.map((pkg) => [pkg.name, pkg])) : null));
    installedCache.set(target, p);
  }
  return p;
}

/** "1:9.2p1-2+deb12u3" → "9.2p1": the upstream part of a Debian version (no epoch, no revision). */
export function upstreamVersion(debianVersion: string): string {
  return debianVersion.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
}
