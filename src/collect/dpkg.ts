import type { Target } from '../target/types.js';
import { parseDpkgStatus, type DpkgPackage } from './parse/dpkg-status.js';

export const DPKG_STATUS = '/var/lib/dpkg/status';

const cache = new WeakMap<Target, Promise<Map<string, DpkgPackage> | null>>();

/** The installed packages of the target's dpkg status (read once per target); null when there is none. */
export function dpkgInstalled(target: Target): Promise<Map<string, DpkgPackage> | null> {
  let p = cache.get(target);
  if (!p) {
    p = target.readText(DPKG_STATUS, { maxBytes: 64 * 1024 * 1024 }).then((r) => (r.ok ? new Map(parseDpkgStatus(r.text).installed.map((pkg) => [pkg.name, pkg])) : null));
    cache.set(target, p);
  }
  return p;
}
